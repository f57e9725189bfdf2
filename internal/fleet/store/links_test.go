package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// TestUpgradeLinks: a database of schema 4 keeps a row per (image,
// package, path) link in image_packages; opening it with migration 5
// moves every link into the per-image links and the package bitmaps
// (images in two bitmap blocks), drops the old table, and every query
// answers from the new form.
func TestUpgradeLinks(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		if err := store.MigrateTo(ctx, dsn, 4); err != nil {
			t.Fatal(err)
		}
		driver := "sqlite"
		if store.IsPostgres(dsn) {
			driver = "pgx"
		}
		raw, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			fmt.Sprintf(`INSERT INTO images (id, digest, first_seen, last_seen, package_count) VALUES (1, '%s', 1, 1, 3), (2000, '%s', 1, 1, 1), (2001, '%s', 1, 1, 0)`,
				digestOf("a"), digestOf("b"), digestOf("empty")),
			`INSERT INTO packages (id, type, namespace, name, version, distro_id, distro_version, purl, source_name, source_version) VALUES
			(10, 'deb', 'debian', 'libc6', '2.36-9', 'debian', '12', 'pkg:deb/debian/libc6@2.36-9', '', ''),
			(11, 'PyPI', '', 'jinja2', '2.11.2', '', '', 'pkg:pypi/jinja2@2.11.2', '', '')`,
			`INSERT INTO image_packages (image_id, package_id, path, layer_index, layer_digest) VALUES
			(1, 10, '/var/lib/dpkg/status', 0, 'sha256:l0'),
			(1, 11, '/app/b/METADATA', 3, 'sha256:l3'),
			(1, 11, '/app/a/METADATA', 2, 'sha256:l2'),
			(2000, 10, '/var/lib/dpkg/status', 1, '')`,
			`INSERT INTO advisories (id, summary, severity, score, source) VALUES ('PYSEC-2021-66', 'jinja2 ReDoS', 'medium', 5.3, 'osv')`,
			`INSERT INTO advisory_aliases (alias, advisory_id) VALUES ('PYSEC-2021-66', 'PYSEC-2021-66'), ('CVE-2020-28493', 'PYSEC-2021-66')`,
			`INSERT INTO package_advisories (package_id, advisory_id, ecosystem, fixed_version, fix_state, severity) VALUES (11, 'PYSEC-2021-66', 'PyPI', '2.11.3', 'fixed', 'medium')`,
		} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		raw.Close()

		s := fleettest.OpenStore(t, dsn)
		if v, err := s.SchemaVersion(ctx); err != nil || v != 5 {
			t.Fatalf("schema %d %v", v, err)
		}
		d, err := s.ImageByDigest(ctx, digestOf("a"))
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(d.Packages)
		want := "[{PyPI jinja2 2.11.2 pkg:pypi/jinja2@2.11.2 /app/a/METADATA 2 sha256:l2} {PyPI jinja2 2.11.2 pkg:pypi/jinja2@2.11.2 /app/b/METADATA 3 sha256:l3} " +
			"{deb libc6 2.36-9 pkg:deb/debian/libc6@2.36-9 /var/lib/dpkg/status 0 sha256:l0}]"
		if got != want {
			t.Errorf("packages after upgrade:\n got %s\nwant %s", got, want)
		}
		if len(d.Vulnerabilities) != 2 || d.Vulnerabilities[0].Path != "/app/a/METADATA" || d.Vulnerabilities[1].FixedVersion != "2.11.3" {
			t.Errorf("vulnerabilities after upgrade: %+v", d.Vulnerabilities)
		}
		a, err := s.Affected(ctx, "cve-2020-28493", store.Page{})
		if err != nil || len(a.Images) != 1 || a.Images[0].Digest != digestOf("a") || len(a.Images[0].Packages) != 2 {
			t.Fatalf("affected after upgrade: %+v %v", a, err)
		}
		ps, err := s.ImagesWithPackage(ctx, store.PackageQuery{Name: "libc6"})
		if err != nil || len(ps) != 1 || len(ps[0].Images) != 2 || ps[0].Images[0].ID != 1 || ps[0].Images[1].ID != 2000 {
			t.Fatalf("images with libc6 after upgrade: %+v %v", ps, err)
		}
		e, err := s.ImageByDigest(ctx, digestOf("empty"))
		if err != nil || len(e.Packages) != 0 {
			t.Errorf("image without links: %+v %v", e, err)
		}
		raw, err = sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`SELECT 1 FROM image_packages`); err == nil {
			t.Error("image_packages is still there")
		}
		// The converted image takes a re-ingest that drops jinja2: the
		// bitmap forgets it.
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("a"), SBOM: pyImage("six", "1.15.0")}); err != nil {
			t.Fatal(err)
		}
		if a, err := s.Affected(ctx, "PYSEC-2021-66", store.Page{}); err != nil || len(a.Images) != 0 {
			t.Errorf("affected after the re-ingest: %+v %v", a, err)
		}
	})
}

// FuzzLinks: any links survive an encode and decode unchanged, in
// (package, path) order; a decode of arbitrary bytes returns an error or
// links, never a panic.
func FuzzLinks(f *testing.F) {
	f.Add(int64(7), "/usr/local/lib/python3.11/site-packages/a-1.dist-info/METADATA", "/usr/local/lib/python3.11/site-packages/b-2.dist-info/METADATA", 3, "sha256:l3", []byte{1, 0})
	f.Add(int64(1), "", "/", -1, "", []byte{1, 1, 0, 2, 0, 5})
	f.Fuzz(func(t *testing.T, pkg int64, p1, p2 string, layer int, digest string, raw []byte) {
		store.DecodeLinks(raw)
		if pkg < 0 {
			pkg = -pkg
		}
		in := []store.Link{{Pkg: pkg + 5, Path: p2, Layer: layer, LayerDigest: digest}, {Pkg: pkg, Path: p1, Layer: 0}, {Pkg: pkg, Path: p2, Layer: layer, LayerDigest: digest}}
		out, err := store.DecodeLinks(store.EncodeLinks(in))
		if err != nil {
			t.Fatal(err)
		}
		want := []store.Link{{Pkg: pkg, Path: min(p1, p2)}, {Pkg: pkg, Path: max(p1, p2)}, {Pkg: pkg + 5, Path: p2, Layer: layer, LayerDigest: digest}}
		if p1 > p2 {
			want[0], want[1] = store.Link{Pkg: pkg, Path: p2, Layer: layer, LayerDigest: digest}, store.Link{Pkg: pkg, Path: p1}
		} else {
			want[1] = store.Link{Pkg: pkg, Path: p2, Layer: layer, LayerDigest: digest}
		}
		if p1 == p2 {
			// Two links of one package and path: encode keeps both.
			want[0] = store.Link{Pkg: pkg, Path: p1}
			if out[0].Layer != 0 {
				want[0], want[1] = want[1], want[0]
			}
		}
		if fmt.Sprint(out) != fmt.Sprint(want) {
			t.Errorf("round trip:\n got %v\nwant %v", out, want)
		}
		// A filtered decode keeps exactly the links of the packages asked
		// for, in the same order.
		enc := store.EncodeLinks(in)
		for _, only := range [][]int64{{pkg}, {pkg + 5}, {pkg - 1, pkg + 5}, {pkg + 1}, {pkg, pkg + 5, pkg + 9}} {
			got, err := store.DecodeLinksOf(enc, only)
			if err != nil {
				t.Fatal(err)
			}
			var keep []store.Link
			for _, l := range want {
				if slices.Contains(only, l.Pkg) {
					keep = append(keep, l)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(keep) && !(len(got) == 0 && len(keep) == 0) {
				t.Errorf("decode of %v:\n got %v\nwant %v", only, got, keep)
			}
		}
	})
}

// TestRankingKept: the ranking by running exposure is stored by
// RefreshRanking and read back while nothing changed; each kind of write
// (containers, ingest, OpenVEX) makes the next answer current again, never
// the stored one.
func TestRankingKept(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		defer s.Close()
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("a"), SBOM: pyImage("jinja2", "2.11.2")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MatchPending(ctx, vulnDB(t), time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := s.PutContainers(ctx, []store.Container{{Host: "h", ContainerID: "c1", ImageDigest: digestOf("a")}}); err != nil {
			t.Fatal(err)
		}
		top := func() string {
			t.Helper()
			rs, err := s.TopVulnerabilities(ctx, 5)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, r := range rs {
				fmt.Fprintf(&b, "%s:%d/%d ", r.ID, r.RunningImages, r.RunningContainers)
			}
			return b.String()
		}
		if err := s.RefreshRanking(ctx); err != nil {
			t.Fatal(err)
		}
		first := top()
		if !strings.Contains(first, ":1/1") {
			t.Fatalf("ranking: %q", first)
		}
		if got := top(); got != first {
			t.Errorf("stored ranking %q, computed %q", got, first)
		}
		if err := s.PutContainers(ctx, []store.Container{{Host: "h", ContainerID: "c2", ImageDigest: digestOf("a")}}); err != nil {
			t.Fatal(err)
		}
		if got := top(); !strings.Contains(got, ":1/2") || strings.Contains(got, ":1/1") {
			t.Errorf("after a second container: %q", got)
		}
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("a"), SBOM: pyImage("six", "1.15.0")}); err != nil {
			t.Fatal(err)
		}
		if got := top(); got != "" {
			t.Errorf("after the image lost jinja2: %q", got)
		}
	})
}

package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// clock is a test clock moved by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestFindings: findings are stored per image, replaced by the next push,
// sorted most severe first; an unknown image or a broken record is refused.
func TestFindings(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		fs := []store.Finding{
			{Fingerprint: "f1", RuleID: "IM1001", Severity: "low", Title: "Image runs as root", Message: "the image runs as root"},
			{Fingerprint: "f2", RuleID: "IM1100", Severity: "critical", Title: "Secret in a layer", Message: "AWS key", Path: "/app/.env", Line: 3},
		}
		if err := s.PutFindings(ctx, digestOf("nothing"), fs); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("findings of an unknown image: %v", err)
		}
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("app"), SBOM: pyImage("jinja2", "2.11.2")}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutFindings(ctx, digestOf("app"), fs); err != nil {
			t.Fatal(err)
		}
		got, err := s.Findings(ctx, digestOf("app"))
		if err != nil || len(got) != 2 || got[0].Fingerprint != "f2" || got[0].Path != "/app/.env" || got[0].Line != 3 || got[1].RuleID != "IM1001" {
			t.Fatalf("findings: %+v %v", got, err)
		}
		if err := s.PutFindings(ctx, digestOf("app"), fs[:1]); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.Findings(ctx, digestOf("app")); len(got) != 1 || got[0].Fingerprint != "f1" {
			t.Errorf("replaced findings: %+v", got)
		}
		if err := s.PutFindings(ctx, digestOf("app"), []store.Finding{{RuleID: "IM1001", Severity: "low"}}); err == nil {
			t.Error("a finding without fingerprint was stored")
		}
		if got, _ = s.Findings(ctx, digestOf("app")); len(got) != 1 {
			t.Errorf("a refused push changed the findings: %+v", got)
		}
		if c, err := s.FleetCounts(ctx); err != nil || c.Images != 1 || c.Findings != 1 || c.Packages != 1 || c.PendingPackages != 1 {
			t.Errorf("counts: %+v %v", c, err)
		}
	})
}

// TestDiff: jinja2 2.11.2 -> 2.11.3 is a changed package that removes
// PYSEC-2021-66, and the added idna 3.4 brings PYSEC-2024-60 (matched for
// real against the OSV data); findings are
// compared by fingerprint; an image compared with itself has no change;
// the alpine 3.10 -> 3.11 package changes equal those computed from the
// two SBOMs directly.
func TestDiff(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data", "alpine")
	a310 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-310-metadata"))
	a311 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-311-metadata"))
	db := vulnDB(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		old, fixed := pyImage("jinja2", "2.11.2"), pyImage("jinja2", "2.11.3")
		old.Packages = append(old.Packages, sbom.Package{Name: "six", Version: "1.15.0", Ecosystem: sbom.EcoPyPI, PURL: "pkg:pypi/six@1.15.0", Location: "/six"})
		fixed.Packages = append(fixed.Packages, sbom.Package{Name: "idna", Version: "3.4", Ecosystem: sbom.EcoPyPI, PURL: "pkg:pypi/idna@3.4", Location: "/idna"})
		for _, im := range []store.Image{
			{Digest: digestOf("old"), SBOM: old}, {Digest: digestOf("fixed"), SBOM: fixed},
			{Digest: digestOf("a310"), SBOM: a310}, {Digest: digestOf("a311"), SBOM: a311},
		} {
			if _, err := s.Ingest(ctx, im); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.MatchPending(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := s.PutFindings(ctx, digestOf("old"), []store.Finding{
			{Fingerprint: "root", RuleID: "IM1001", Severity: "low", Message: "runs as root"},
			{Fingerprint: "secret", RuleID: "IM1100", Severity: "critical", Message: "key", Path: "/app/.env"}}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutFindings(ctx, digestOf("fixed"), []store.Finding{
			{Fingerprint: "root", RuleID: "IM1001", Severity: "low", Message: "runs as root"},
			{Fingerprint: "suid", RuleID: "IM1200", Severity: "medium", Message: "setuid binary", Path: "/bin/x"}}); err != nil {
			t.Fatal(err)
		}
		d, err := s.Diff(ctx, digestOf("old"), digestOf("fixed"))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Packages.Changed) != 1 || d.Packages.Changed[0] != (store.PackageChange{Type: "PyPI", Name: "jinja2", From: "2.11.2", To: "2.11.3"}) {
			t.Errorf("changed: %+v", d.Packages.Changed)
		}
		if len(d.Packages.Added) != 1 || d.Packages.Added[0].Name != "idna" || len(d.Packages.Removed) != 1 || d.Packages.Removed[0].Name != "six" {
			t.Errorf("added %+v removed %+v", d.Packages.Added, d.Packages.Removed)
		}
		// idna 3.4 brings PYSEC-2024-60 (fixed in 3.7).
		if len(d.Vulnerabilities.Added) != 1 || d.Vulnerabilities.Added[0].Advisory != "PYSEC-2024-60" || d.Vulnerabilities.Added[0].Name != "idna" ||
			len(d.Vulnerabilities.Removed) == 0 {
			t.Errorf("vulnerabilities: added %+v removed %+v", d.Vulnerabilities.Added, d.Vulnerabilities.Removed)
		}
		gone := false
		for _, v := range d.Vulnerabilities.Removed {
			gone = gone || v.Advisory == "PYSEC-2021-66"
		}
		if !gone {
			t.Errorf("PYSEC-2021-66 not among the removed: %+v", d.Vulnerabilities.Removed)
		}
		if len(d.Findings.Added) != 1 || d.Findings.Added[0].Fingerprint != "suid" || len(d.Findings.Removed) != 1 || d.Findings.Removed[0].Fingerprint != "secret" {
			t.Errorf("findings: %+v", d.Findings)
		}
		same, err := s.Diff(ctx, digestOf("a311"), digestOf("a311"))
		if err != nil || len(same.Packages.Added)+len(same.Packages.Removed)+len(same.Packages.Changed)+len(same.Vulnerabilities.Added)+
			len(same.Vulnerabilities.Removed)+len(same.Findings.Added)+len(same.Findings.Removed) != 0 {
			t.Errorf("an image against itself: %+v %v", same, err)
		}
		// The oracle: versions by (ecosystem, name) from the SBOMs.
		vers := func(s *sbom.SBOM) map[string]string {
			m := map[string]string{}
			for _, p := range s.Packages {
				if prev, ok := m[p.Ecosystem+"/"+p.Name]; ok && prev != p.Version {
					t.Skipf("%s has two versions; the oracle is too simple", p.Name)
				}
				m[p.Ecosystem+"/"+p.Name] = p.Version
			}
			return m
		}
		va, vb := vers(a310), vers(a311)
		var added, removed, changed int
		for k, v := range vb {
			if o, ok := va[k]; !ok {
				added++
			} else if o != v {
				changed++
			}
		}
		for k := range va {
			if _, ok := vb[k]; !ok {
				removed++
			}
		}
		ad, err := s.Diff(ctx, digestOf("a310"), digestOf("a311"))
		if err != nil {
			t.Fatal(err)
		}
		if changed == 0 || len(ad.Packages.Changed) != changed || len(ad.Packages.Added) != added || len(ad.Packages.Removed) != removed {
			t.Errorf("alpine diff: changed %d added %d removed %d, want %d %d %d", len(ad.Packages.Changed), len(ad.Packages.Added), len(ad.Packages.Removed), changed, added, removed)
		}
		if _, err := s.Diff(ctx, digestOf("a310"), digestOf("nothing")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("diff with an unknown image: %v", err)
		}
	})
}

// TestBaseImages: a base pushed under its name twice, ten days apart,
// makes the second digest current; images on the first are one digest and
// ten days behind. A base never pushed takes its newest use as current. An
// image naming no base is not listed.
func TestBaseImages(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		c := &clock{t: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
		store.SetClock(s, c.now)
		v1, v2, deb := digestOf("alpine-v1"), digestOf("alpine-v2"), digestOf("debian-12")
		ingest := func(im store.Image) {
			t.Helper()
			im.SBOM = pyImage("six", "1.15.0")
			if _, err := s.Ingest(ctx, im); err != nil {
				t.Fatal(err)
			}
		}
		ingest(store.Image{Digest: v1, Ref: "alpine:3"})
		ingest(store.Image{Digest: digestOf("app1"), Ref: "app1:1", BaseName: "alpine:3", BaseDigest: v1})
		c.t = c.t.Add(10 * 24 * time.Hour)
		ingest(store.Image{Digest: v2, Ref: "alpine:3"})
		ingest(store.Image{Digest: digestOf("app2"), Ref: "app2:1", BaseName: "alpine:3", BaseDigest: v2})
		c.t = c.t.Add(10 * 24 * time.Hour)
		ingest(store.Image{Digest: digestOf("app3"), Ref: "app3:1", BaseName: "alpine:3", BaseDigest: v1})
		ingest(store.Image{Digest: digestOf("app4"), Ref: "app4:1", BaseName: "debian:12", BaseDigest: deb})
		ingest(store.Image{Digest: digestOf("nobase"), Ref: "nobase:1"})
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("bad"), SBOM: pyImage("six", "1"), BaseName: "x", BaseDigest: "latest"}); err == nil {
			t.Error("a malformed base digest was stored")
		}
		bs, err := s.BaseImages(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 2 || bs[0].Name != "alpine:3" || bs[1].Name != "debian:12" {
			t.Fatalf("base images: %+v", bs)
		}
		a := bs[0]
		if a.Current != v2 || a.CurrentFrom != "pushed" || a.Images != 3 || a.ImagesBehind != 2 || len(a.Digests) != 2 {
			t.Fatalf("alpine:3: %+v", a)
		}
		if d := a.Digests[0]; d.Digest != v2 || !d.Current || d.Behind != 0 || len(d.Images) != 1 || d.Images[0].Digest != digestOf("app2") {
			t.Errorf("current digest: %+v", d)
		}
		if d := a.Digests[1]; d.Digest != v1 || d.Current || d.Behind != 1 || d.DaysBehind != 10 || len(d.Images) != 2 {
			t.Errorf("old digest: %+v", d)
		}
		if d := bs[1]; d.Current != deb || d.CurrentFrom != "newest-used" || d.ImagesBehind != 0 || d.Digests[0].Behind != 0 {
			t.Errorf("debian:12: %+v", d)
		}
		if one, err := s.BaseImages(ctx, "debian:12"); err != nil || len(one) != 1 {
			t.Errorf("by name: %+v %v", one, err)
		}
		// History: the image's names with when, its containers (stopped
		// ones too); the tag's digests in order.
		c.t = c.t.Add(24 * time.Hour)
		ingest(store.Image{Digest: digestOf("app1"), Ref: "app1:latest"})
		if err := s.PutContainers(ctx, []store.Container{
			{Host: "h", ContainerID: "c1", Name: "web", ImageDigest: digestOf("app1"), Started: 5},
			{Host: "h", ContainerID: "c0", Name: "old", ImageDigest: digestOf("app1"), Started: 1, Stopped: 2}}); err != nil {
			t.Fatal(err)
		}
		h, err := s.History(ctx, digestOf("app1"))
		if err != nil {
			t.Fatal(err)
		}
		day0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix()
		if len(h.Refs) != 2 || h.Refs[0].Ref != "app1:1" || h.Refs[0].FirstSeen != day0 || h.Refs[1].Ref != "app1:latest" ||
			h.Refs[1].FirstSeen != c.t.Unix() || h.FirstSeen != day0 || h.LastSeen != c.t.Unix() || h.BaseName != "alpine:3" || len(h.Containers) != 2 {
			t.Errorf("history: %+v", h)
		}
		tag, err := s.RefHistory(ctx, "alpine:3")
		if err != nil || len(tag) != 2 || tag[0].Digest != v1 || tag[1].Digest != v2 {
			t.Errorf("tag history: %+v %v", tag, err)
		}
		if _, err := s.History(ctx, digestOf("nothing")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown image: %v", err)
		}
	})
}

// TestTopVulnerabilities: exposure counts running containers only; the
// jinja2 image with three running containers outranks the alpine image
// with one running and one stopped.
func TestTopVulnerabilities(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data", "alpine")
	a310 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-310-metadata"))
	db := vulnDB(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		for _, im := range []store.Image{{Digest: digestOf("py"), SBOM: pyImage("jinja2", "2.11.2")}, {Digest: digestOf("a310"), SBOM: a310},
			{Digest: digestOf("idle"), SBOM: pyImage("urllib3", "1.24.1")}} {
			if _, err := s.Ingest(ctx, im); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.MatchPending(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		if top, err := s.TopVulnerabilities(ctx, 10); err != nil || len(top) != 0 {
			t.Fatalf("nothing running: %+v %v", top, err)
		}
		var cs []store.Container
		for _, id := range []string{"p1", "p2", "p3"} {
			cs = append(cs, store.Container{Host: "h", ContainerID: id, ImageDigest: digestOf("py")})
		}
		cs = append(cs, store.Container{Host: "h", ContainerID: "a1", ImageDigest: digestOf("a310")},
			store.Container{Host: "h", ContainerID: "a0", ImageDigest: digestOf("a310"), Stopped: 9})
		if err := s.PutContainers(ctx, cs); err != nil {
			t.Fatal(err)
		}
		top, err := s.TopVulnerabilities(ctx, 1000)
		if err != nil || len(top) == 0 {
			t.Fatal(top, err)
		}
		if top[0].RunningContainers != 3 || top[0].RunningImages != 1 {
			t.Errorf("first: %+v", top[0])
		}
		seen := map[string]bool{}
		for i, e := range top {
			seen[e.ID] = true
			if i > 0 && e.RunningContainers > top[i-1].RunningContainers {
				t.Errorf("not ranked: %s (%d) after %s (%d)", e.ID, e.RunningContainers, top[i-1].ID, top[i-1].RunningContainers)
			}
		}
		if e := exposure(t, s, "CVE-2020-1967"); e == nil || e.RunningContainers != 1 {
			t.Errorf("CVE-2020-1967: %+v", e)
		}
		if !seen["PYSEC-2021-66"] {
			t.Errorf("jinja2's advisory missing: %v", seen)
		}
		idle, err := s.ImageByDigest(ctx, digestOf("idle"))
		if err != nil || len(idle.Vulnerabilities) == 0 {
			t.Fatalf("the idle urllib3 image has no match to test with: %v", err)
		}
		for _, v := range idle.Vulnerabilities {
			if seen[v.Advisory] {
				t.Errorf("%s of the image nothing runs is ranked", v.Advisory)
			}
		}
		if two, _ := s.TopVulnerabilities(ctx, 2); len(two) != 2 {
			t.Errorf("limit 2: %d", len(two))
		}
	})
}

// TestUpgradeFromSchema2: a database left by a shipshape of schema 2,
// holding an image, is brought to schema 3 on open; the image is kept,
// with no base image, and takes findings, VEX and a base.
func TestUpgradeFromSchema2(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		if err := store.MigrateTo(ctx, dsn, 2); err != nil {
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
		if _, err := raw.Exec(`INSERT INTO images (digest, first_seen, last_seen) VALUES ('` + digestOf("old") + `', 1, 1)`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		s := fleettest.OpenStore(t, dsn)
		if v, err := s.SchemaVersion(ctx); err != nil || v != 5 {
			t.Fatalf("schema %d %v", v, err)
		}
		h, err := s.History(ctx, digestOf("old"))
		if err != nil || h.BaseName != "" || h.FirstSeen != 1 {
			t.Fatalf("old image after upgrade: %+v %v", h, err)
		}
		if err := s.PutFindings(ctx, digestOf("old"), []store.Finding{{Fingerprint: "f", RuleID: "IM1001", Severity: "low"}}); err != nil {
			t.Error(err)
		}
		if _, err := s.Ingest(ctx, store.Image{Digest: digestOf("old"), SBOM: pyImage("six", "1.15.0"), BaseName: "alpine:3"}); err != nil {
			t.Error(err)
		}
		if bs, err := s.BaseImages(ctx, "alpine:3"); err != nil || len(bs) != 1 {
			t.Errorf("base after upgrade: %+v %v", bs, err)
		}
	})
}

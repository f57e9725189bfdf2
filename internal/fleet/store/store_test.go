package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

func TestMigrations(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		v, err := s.SchemaVersion(ctx)
		if err != nil || v != 5 {
			t.Fatalf("schema version %d, %v; want 5", v, err)
		}
		s.Close()
		// Opening again applies nothing twice.
		s = fleettest.OpenStore(t, dsn)
		s.Close()
		// A database from a newer shipshape is refused, not written to.
		driver := "sqlite"
		if store.IsPostgres(dsn) {
			driver = "pgx"
		}
		raw, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec("INSERT INTO schema_migrations (version, name, applied) VALUES (99, 'future', 0)"); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if _, err := store.Open(ctx, dsn); err == nil || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("newer schema: got %v", err)
		}
	})
}

// TestAffectedAlpine is the headline query on real data: the alpine
// 3.10.4 and 3.11.5 package databases against Alpine's secdb, where
// libssl1.1 and libcrypto1.1 1.1.1d-r2 / -r3 (origin openssl) are affected
// by CVE-2020-1967, fixed in 1.1.1g-r0 (secdb v3.10 and v3.11 both say
// so); only the running container of each image is listed.
func TestAffectedAlpine(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data", "alpine")
	a310 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-310-metadata"))
	a311 := fleettest.CatalogDir(t, filepath.Join(data, "alpine-311-metadata"))
	db := vulnDB(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(t, dsn)
		for _, im := range []store.Image{
			{Digest: digestOf("a310"), Ref: "alpine:3.10.4", SBOM: a310},
			{Digest: digestOf("a311"), Ref: "alpine:3.11.5", SBOM: a311},
			{Digest: digestOf("a311"), Ref: "registry.example/base:latest", SBOM: a311},
		} {
			if _, err := s.Ingest(ctx, im); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := s.Pending(ctx); n == 0 {
			t.Fatal("no package pending a match after ingest")
		}
		st, err := s.MatchPending(ctx, db, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if st.Hits == 0 {
			t.Fatal("no match at all")
		}
		if n, _ := s.Pending(ctx); n != 0 {
			t.Fatalf("%d packages still pending", n)
		}
		err = s.PutContainers(ctx, []store.Container{
			{Host: "web-1", ContainerID: "c1", Name: "api", ImageDigest: digestOf("a310"), ComposeProject: "shop", ComposeService: "api", Started: 100},
			{Host: "web-1", ContainerID: "c2", Name: "old", ImageDigest: digestOf("a310"), Started: 50, Stopped: 90},
			{Host: "web-2", ContainerID: "c3", Name: "worker", ImageDigest: digestOf("a311"), Started: 100},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"CVE-2020-1967", "cve-2020-1967"} {
			got, err := s.Affected(ctx, q, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, im := range got.Images {
				var cs []string
				for _, c := range im.Containers {
					cs = append(cs, c.Host+"/"+c.Name)
				}
				for _, p := range im.Packages {
					lines = append(lines, strings.Join([]string{im.Digest[:15], strings.Join(im.Refs, "+"), p.Name, p.Version,
						p.FixedVersion, p.Path, strings.Join(cs, "+")}, " "))
				}
			}
			want := []string{
				digestOf("a310")[:15] + " alpine:3.10.4 libcrypto1.1 1.1.1d-r2 1.1.1g-r0 /lib/apk/db/installed web-1/api",
				digestOf("a310")[:15] + " alpine:3.10.4 libssl1.1 1.1.1d-r2 1.1.1g-r0 /lib/apk/db/installed web-1/api",
				digestOf("a311")[:15] + " alpine:3.11.5+registry.example/base:latest libcrypto1.1 1.1.1d-r3 1.1.1g-r0 /lib/apk/db/installed web-2/worker",
				digestOf("a311")[:15] + " alpine:3.11.5+registry.example/base:latest libssl1.1 1.1.1d-r3 1.1.1g-r0 /lib/apk/db/installed web-2/worker",
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s:\n%s\nwant:\n%s", q, strings.Join(lines, "\n"), strings.Join(want, "\n"))
			}
		}
		// An advisory nobody is affected by, and one the store never saw.
		for _, q := range []string{"CVE-1999-0001", "nonsense"} {
			got, err := s.Affected(ctx, q, store.Page{})
			if err != nil || len(got.Images) != 0 {
				t.Errorf("%s: %d images, %v", q, len(got.Images), err)
			}
		}
		// Paging: one image per page.
		p1, err := s.Affected(ctx, "CVE-2020-1967", store.Page{Limit: 1})
		if err != nil || len(p1.Images) != 1 || p1.Next == 0 {
			t.Fatalf("page 1: %+v %v", p1, err)
		}
		p2, err := s.Affected(ctx, "CVE-2020-1967", store.Page{Limit: 1, After: p1.Next})
		if err != nil || len(p2.Images) != 1 || p2.Next != 0 || p2.Images[0].Digest != digestOf("a311") {
			t.Fatalf("page 2: %+v %v", p2, err)
		}
	})
}

package fleetgen_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

func TestMain(m *testing.M) {
	os.Exit(fleettest.Main(m))
}

var (
	poolOnce sync.Once
	pool     *fleetgen.Pool
	setupErr error
)

// setup loads the pool (bookworm minbase + this machine's bookworm
// packages + the Go and PyPI OSV records) once per test binary and
// returns it with a vulnerability database of the same OSV records.
func setup(t testing.TB) (*fleetgen.Pool, string) {
	t.Helper()
	data := filepath.Join(corpus.Shared(t), "data")
	poolOnce.Do(func() {
		fx := filepath.Join(data, "debian", "rootfs-fixtures")
		zips := []string{filepath.Join(data, "osv", "PyPI.zip"), filepath.Join(data, "osv", "Go.zip")}
		pool, setupErr = fleetgen.LoadPool(context.Background(), filepath.Join(fx, "bookworm"), filepath.Join(fx, "host-bookworm-dpkg-status"), zips...)
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return pool, fleettest.VulnDB(t, filepath.Join(data, "osv", "PyPI.zip"), filepath.Join(data, "osv", "Go.zip"))
}

func TestGenerator(t *testing.T) {
	p, _ := setup(t)
	g := fleetgen.New(p, 1)
	a, b := g.Image(7), g.Image(7)
	if a.Digest != b.Digest || len(a.SBOM.Packages) != len(b.SBOM.Packages) {
		t.Fatal("image 7 differs between two calls")
	}
	for i := range a.SBOM.Packages {
		x, y := a.SBOM.Packages[i], b.SBOM.Packages[i]
		if x.Name != y.Name || x.Version != y.Version || x.Location != y.Location {
			t.Fatalf("package %d differs", i)
		}
	}
	n := len(a.SBOM.Packages)
	if n < 280 || n > 310 {
		t.Errorf("image of %d packages, want about 300", n)
	}
	if g.Image(8).Digest == a.Digest || !store.ValidDigest(a.Digest) {
		t.Error("digests not distinct or malformed")
	}
	if a.SBOM.Distro == nil || a.SBOM.Distro.ID != "debian" || a.SBOM.Distro.VersionID != "12" {
		t.Errorf("distro %+v", a.SBOM.Distro)
	}
}

func fleetSize(def int) int {
	if v, err := strconv.Atoi(os.Getenv("SHIPSHAPE_FLEET_IMAGES")); err == nil && v > 0 {
		return v
	}
	return def
}

// TestFleetAffected ingests a generated fleet, matches it, and checks the
// headline query for advisories against an independent oracle: the
// images the generator gave a package version that the advisory lists
// explicitly in its OSV "versions".
func TestFleetAffected(t *testing.T) {
	p, vdb := setup(t)
	n := fleetSize(60)
	g := fleetgen.New(p, 42)
	g.Popular = 100
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		buildFleet(t, s, g, n, vdb)
		db, err := vuln.Open(vdb)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		checkOracle(t, s, g, n, db, 1)
	})
}

// checkOracle compares Affected with the oracle for advisories that
// hit the generated images (every stride-th of them).
func checkOracle(t *testing.T, s *store.Store, g *fleetgen.Generator, n int, db *vuln.DB, stride int) {
	ctx := context.Background()
	// Which (ecosystem, name, version) each image holds.
	type pv struct{ eco, name, version string }
	holders := map[pv][]string{}
	for i := 0; i < n; i++ {
		im := g.Image(i)
		for _, pk := range im.SBOM.Packages {
			if pk.Ecosystem == "PyPI" || pk.Ecosystem == "Go" {
				k := pv{pk.Ecosystem, pk.Name, pk.Version}
				holders[k] = append(holders[k], im.Digest)
			}
		}
	}
	checked := 0
	extras := 0
	seen := 0
	for _, lp := range g.Pool.Lang {
		advs, err := db.Lookup(lp.Ecosystem, lp.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range advs {
			if seen++; seen%stride != 0 {
				continue
			}
			want := map[string]bool{}
			for _, af := range a.Affected {
				if af.Package != lp.Name {
					continue
				}
				for _, v := range af.Versions {
					for _, d := range holders[pv{lp.Ecosystem, lp.Name, v}] {
						want[d] = true
					}
				}
			}
			if len(want) == 0 {
				continue
			}
			got := map[string]bool{}
			for page := (store.Page{}); ; {
				res, err := s.Affected(ctx, a.ID, page)
				if err != nil {
					t.Fatal(err)
				}
				for _, im := range res.Images {
					for _, pk := range im.Packages {
						if pk.Name == lp.Name {
							got[im.Digest] = true
						}
					}
				}
				if res.Next == 0 {
					break
				}
				page.After = res.Next
			}
			var missing, extra []string
			for d := range want {
				if !got[d] {
					missing = append(missing, d)
				}
			}
			for d := range got {
				if !want[d] {
					extra = append(extra, d)
				}
			}
			sort.Strings(missing)
			sort.Strings(extra)
			// Every image holding an explicitly listed version must be found.
			// An image beyond the list is accepted only when the advisory
			// also has ranges: OSV lists are sometimes shorter than the
			// ranges they were derived from (the matcher honours both).
			hasRange := false
			for _, af := range a.Affected {
				hasRange = hasRange || (af.Package == lp.Name && len(af.Ranges) > 0)
			}
			if len(missing) > 0 || (len(extra) > 0 && !hasRange) {
				t.Errorf("%s (%s %s): %d images missing, %d extra (of %d expected)", a.ID, lp.Ecosystem, lp.Name, len(missing), len(extra), len(want))
			}
			extras += len(extra)
			checked++
		}
	}
	if checked < 20/stride {
		t.Errorf("only %d advisories hit the generated fleet", checked)
	}
	t.Logf("%d advisories checked against the oracle; %d images found by range beyond the explicit version lists", checked, extras)
}

// buildFleet ingests n generated images with their containers, matches
// them, and returns advisory ids that hit the fleet.
func buildFleet(t testing.TB, s *store.Store, g *fleetgen.Generator, n int, vdb string) []string {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < n; i += 64 {
		var batch []store.Image
		var cs []store.Container
		for j := i; j < min(i+64, n); j++ {
			batch = append(batch, g.Image(j))
			cs = append(cs, g.Containers(j)...)
		}
		if _, err := s.IngestBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if len(cs) > 0 {
			if err := s.PutContainers(ctx, cs); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("ingested %d images in %v", n, time.Since(start))
	db, err := vuln.Open(vdb)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start = time.Now()
	st, err := s.MatchPending(ctx, db, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("matched %d package versions (%d hits) in %v", st.Packages, st.Hits, time.Since(start))
	ids, err := s.AdvisoryIDs(ctx, 500)
	if err != nil || len(ids) == 0 {
		t.Fatalf("advisories: %d, %v", len(ids), err)
	}
	return ids
}

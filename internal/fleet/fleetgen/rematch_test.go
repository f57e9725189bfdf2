package fleetgen_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// TestRematchOneAdvisory measures the matching pass after a database
// update that adds one advisory, on a generated fleet: only the versions
// of the one package it names are matched again, against a full re-match
// of every package version (what an update cost before). The fleet size
// is SHIPSHAPE_FLEET_IMAGES (default 60).
func TestRematchOneAdvisory(t *testing.T) {
	p, shared := setup(t)
	n := fleetSize(60)
	g := fleetgen.New(p, 7)
	var target string
	for _, pk := range g.Image(0).SBOM.Packages {
		if pk.Ecosystem == sbom.EcoPyPI {
			target = pk.Name
			break
		}
	}
	if target == "" {
		t.Fatal("image 0 has no PyPI package")
	}
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		vdb := filepath.Join(t.TempDir(), "vuln.db")
		copyFile(t, shared, vdb)
		buildFleet(t, s, g, n, vdb)
		// The fleet was matched against the build as it is: this pass
		// only records that.
		if ps, err := jobs.MatchOnce(ctx, s, vdb, nil); err != nil || ps.Matched.Packages != 0 {
			t.Fatalf("carry forward: %+v %v", ps, err)
		}
		if pending, err := s.Pending(ctx); err != nil || pending != 0 {
			t.Fatalf("pending %d %v", pending, err)
		}
		versions, err := s.ImagesWithPackage(ctx, store.PackageQuery{Name: target, Type: sbom.EcoPyPI})
		if err != nil || len(versions) == 0 {
			t.Fatalf("versions of %s: %d %v", target, len(versions), err)
		}

		built := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := fleettest.UpdateVulnDB(vdb, built, "figure", "figure", vuln.Advisory{ID: "SHIPSHAPE-FIGURE-0001", Summary: "figure", Source: "figure",
			Affected: []vuln.Affected{{Ecosystem: sbom.EcoPyPI, Package: target,
				Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []vuln.Event{{Introduced: "0"}}}}}}}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ps, err := jobs.MatchOnce(ctx, s, vdb, nil)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if ps.Matched.Packages != len(versions) || ps.Invalidated.ChangedKeys != 1 {
			t.Errorf("re-matched %d package versions (%d keys changed), want the %d versions of %s", ps.Matched.Packages, ps.Invalidated.ChangedKeys, len(versions), target)
		}
		a, err := s.Affected(ctx, "SHIPSHAPE-FIGURE-0001", store.Page{Limit: store.MaxPage})
		if err != nil || len(a.Images) == 0 {
			t.Fatalf("the new advisory affects %d images: %v", len(a.Images), err)
		}

		// The cost of re-matching everything, for comparison.
		if err := s.InvalidateOlder(ctx, built.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		db, err := vuln.Open(vdb)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		start = time.Now()
		full, err := s.MatchPending(ctx, db, built.Add(time.Hour))
		fullTook := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if ps.Matched.Packages*10 > full.Packages {
			t.Errorf("one advisory re-matched %d of %d package versions", ps.Matched.Packages, full.Packages)
		}
		t.Logf("%s, %d images: one advisory changed (%s): %d of %d package versions re-matched, %d keys compared, pass %v; full re-match %v",
			s.Backend(), n, target, ps.Matched.Packages, full.Packages, ps.Invalidated.Keys, took.Round(time.Millisecond), fullTook.Round(time.Millisecond))
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

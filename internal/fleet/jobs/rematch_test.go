package jobs_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// TestRematchOnlyChanged: after a new vulnerability database build, only
// the packages whose advisories changed are matched again; a build with
// the same advisories re-matches none; the answers follow the new
// advisory.
func TestRematchOnlyChanged(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := fleettest.OpenStore(t, dsn)
		vdb := filepath.Join(t.TempDir(), "vuln.db")
		t1 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		alpineDB(t, vdb, t1)
		doc := fleettest.CatalogDir(t, alpineRoot(t))
		if len(doc.Packages) != 14 {
			t.Fatalf("the Alpine root has %d packages, want 14", len(doc.Packages))
		}
		if _, err := st.Ingest(ctx, store.Image{Digest: digestOf("alpine"), Ref: "alpine:3.10", SBOM: doc}); err != nil {
			t.Fatal(err)
		}
		ps, err := jobs.MatchOnce(ctx, st, vdb, nil)
		if err != nil || ps.Matched.Packages != 14 || ps.Invalidated.Packages != 0 {
			t.Fatalf("first pass: %+v %v", ps, err)
		}
		if got := imagesOf(t, st, "CVE-2020-1967"); got != 1 {
			t.Fatalf("CVE-2020-1967 affects %d images before the update", got)
		}

		// The same build again: nothing to do.
		if ps, err = jobs.MatchOnce(ctx, st, vdb, nil); err != nil || ps.Matched.Packages != 0 || ps.Invalidated.Keys != 0 {
			t.Fatalf("same build: %+v %v", ps, err)
		}

		// A new build whose advisories are the same: every package is
		// carried forward, none matched again.
		update(t, vdb, t1.Add(time.Hour))
		ps, err = jobs.MatchOnce(ctx, st, vdb, nil)
		if err != nil || ps.Matched.Packages != 0 || ps.Invalidated.Packages != 0 || ps.Invalidated.ChangedKeys != 0 || ps.Invalidated.Keys == 0 {
			t.Fatalf("unchanged build: %+v %v", ps, err)
		}
		if n, _ := st.Pending(ctx); n != 0 {
			t.Errorf("unchanged build left %d pending", n)
		}

		// One advisory more for openssl: its two binary packages
		// (libcrypto1.1, libssl1.1) are matched again, the other 12 not.
		update(t, vdb, t1.Add(2*time.Hour), opensslAdvisory())
		ps, err = jobs.MatchOnce(ctx, st, vdb, nil)
		if err != nil || ps.Invalidated.ChangedKeys != 1 || ps.Invalidated.Packages != 2 || ps.Matched.Packages != 2 {
			t.Fatalf("one advisory changed: %+v %v", ps, err)
		}
		t.Logf("one advisory changed: %d of 14 packages re-matched (%d keys compared)", ps.Matched.Packages, ps.Invalidated.Keys)
		if got := imagesOf(t, st, testAdvisory); got != 1 {
			t.Errorf("%s affects %d images after the update, want 1", testAdvisory, got)
		}
		if got := imagesOf(t, st, "CVE-2099-0001"); got != 1 {
			t.Errorf("the alias finds %d images", got)
		}
		if got := imagesOf(t, st, "CVE-2020-1967"); got != 1 {
			t.Errorf("CVE-2020-1967 affects %d images after the update", got)
		}

		// The advisory withdrawn: the two packages again, and the
		// answer goes away.
		update(t, vdb, t1.Add(3*time.Hour))
		ps, err = jobs.MatchOnce(ctx, st, vdb, nil)
		if err != nil || ps.Matched.Packages != 2 {
			t.Fatalf("advisory withdrawn: %+v %v", ps, err)
		}
		if got := imagesOf(t, st, testAdvisory); got != 0 {
			t.Errorf("%s still affects %d images after it was withdrawn", testAdvisory, got)
		}
	})
}

func imagesOf(t *testing.T, st *store.Store, id string) int {
	t.Helper()
	a, err := st.Affected(context.Background(), id, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return len(a.Images)
}

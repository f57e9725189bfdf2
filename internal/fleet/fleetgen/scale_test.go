package fleetgen_test

import (
	"bufio"
	"context"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// EnvScale sets the number of images TestScale generates; CI runs
// 10,000, the README's figures come from 100,000.
const EnvScale = "SHIPSHAPE_FLEET_SCALE"

// EnvScaleDB names a SQLite file for TestScale's sqlite run to keep: when
// it already holds the fleet, ingest and matching are skipped, so that
// the queries can be measured again without building 100,000 images.
const EnvScaleDB = "SHIPSHAPE_FLEET_SCALE_DB"

// EnvScalePG is EnvScaleDB for the postgres run: the URL of a database
// (on a cluster the caller runs) that keeps the fleet between runs.
const EnvScalePG = "SHIPSHAPE_FLEET_SCALE_PG"

func scaleSize(t *testing.T) int {
	if v, err := strconv.Atoi(os.Getenv(EnvScale)); err == nil && v > 0 {
		return v
	}
	if os.Getenv("CI") != "" {
		return 10000
	}
	if testing.Short() {
		t.Skip("skipping the fleet scale test in -short mode")
	}
	return 2000
}

// TestScale is the fleet at scale, on both backends: it ingests a
// generated fleet (about 300 packages per image, ~1 running container per
// image) by group commit as the server does, matches it, asks the
// headline query for advisories that hit it, checks the answers against
// the oracle (a tenth of the advisories, up to 20,000 images), then re-matches every package version
// as after a vulnerability database update, and reports each step's
// time, the query latencies and the process's peak RSS.
func TestScale(t *testing.T) {
	n := scaleSize(t)
	p, vdb := setup(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		kept := os.Getenv(EnvScaleDB)
		if store.IsPostgres(dsn) {
			kept = os.Getenv(EnvScalePG)
		}
		if kept != "" {
			dsn = kept
		}
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		g := fleetgen.New(p, 42)
		var ingest, containers time.Duration
		start := 0
		if kept != "" && dsn == kept {
			missing, err := s.MissingDigests(ctx, []string{g.Digest(n - 1)})
			if err != nil {
				t.Fatal(err)
			}
			if len(missing) == 0 {
				start = n // the kept database holds the fleet
			}
		}
		for i := start; i < n; i += server.MaxGroup {
			var batch []store.Image
			var cs []store.Container
			for j := i; j < min(i+server.MaxGroup, n); j++ {
				batch = append(batch, g.Image(j))
				cs = append(cs, g.Containers(j)...)
			}
			t0 := time.Now()
			if _, err := s.IngestBatch(ctx, batch); err != nil {
				t.Fatal(err)
			}
			t1 := time.Now()
			if err := s.PutContainers(ctx, cs); err != nil {
				t.Fatal(err)
			}
			ingest += t1.Sub(t0)
			containers += time.Since(t1)
		}
		db, err := vuln.Open(vdb)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if start == n {
			ingest = time.Nanosecond // not measured: kept database
		}
		t0 := time.Now()
		st, err := s.MatchPending(ctx, db, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		match := time.Since(t0)

		ids, err := s.AdvisoryIDs(ctx, 1000)
		if err != nil || len(ids) == 0 {
			t.Fatalf("advisories: %d %v", len(ids), err)
		}
		cpu0 := cpuTime()
		affected := timeIt(t, 2000, func(i int) error {
			_, err := s.Affected(ctx, ids[(i*7919)%len(ids)], store.Page{Limit: 100})
			return err
		})
		affectedCPU := (cpuTime() - cpu0) / 2000
		pkgs := timeIt(t, 200, func(i int) error {
			_, err := s.ImagesWithPackage(ctx, store.PackageQuery{Name: g.Pool.Lang[i%len(g.Pool.Lang)].Name})
			return err
		})
		// The pass keeps the ranking by exposure; the dashboard reads it.
		t0 = time.Now()
		if err := s.RefreshRanking(ctx); err != nil {
			t.Fatal(err)
		}
		ranking := time.Since(t0)
		top := timeIt(t, 100, func(int) error {
			_, err := s.TopVulnerabilities(ctx, 20)
			return err
		})
		if n <= 20000 {
			checkOracle(t, s, g, n, db, 10)
		}

		// After a database update every package version is matched again
		// (the worst case; an update that changes a few advisories re-matches
		// only their packages, see TestRematchOneAdvisory).
		if err := s.InvalidateOlder(ctx, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		t0 = time.Now()
		re, err := s.MatchPending(ctx, db, time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		rematch := time.Since(t0)
		if start < n && (re.Packages != st.Packages || re.Hits != st.Hits) {
			t.Errorf("re-match: %d package versions, %d hits; first match %d, %d", re.Packages, re.Hits, st.Packages, st.Hits)
		}
		t.Logf("%s, %d images: ingest %v (%.0f SBOMs/s), containers %v; match %d package versions (%d hits) %v; re-match all %v",
			s.Backend(), n, ingest.Round(time.Millisecond), float64(n)/ingest.Seconds(), containers.Round(time.Millisecond),
			st.Packages, st.Hits, match.Round(time.Millisecond), rematch.Round(time.Millisecond))
		t.Logf("%s, %d images: affected p50 %v p99 %v (%v CPU per query); package search p50 %v p99 %v; ranking by exposure computed in %v, top vulnerabilities p50 %v p99 %v; peak RSS of the test process %s",
			s.Backend(), n, affected[0], affected[1], affectedCPU.Round(10*time.Microsecond), pkgs[0], pkgs[1], ranking.Round(time.Millisecond), top[0], top[1], peakRSS())
	})
}

// timeIt runs f n times and returns its p50 and p99.
func timeIt(t *testing.T, n int, f func(i int) error) [2]time.Duration {
	t.Helper()
	lat := make([]time.Duration, n)
	for i := range lat {
		t0 := time.Now()
		if err := f(i); err != nil {
			t.Fatal(err)
		}
		lat[i] = time.Since(t0)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return [2]time.Duration{lat[n/2].Round(10 * time.Microsecond), lat[n*99/100].Round(10 * time.Microsecond)}
}

// peakRSS reads the process's peak resident set (VmHWM).
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

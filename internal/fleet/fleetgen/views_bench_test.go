package fleetgen_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// BenchmarkViews measures the triage-aware questions on a generated
// fleet of SHIPSHAPE_FLEET_IMAGES images (default 2,000): the affected
// query with no VEX statement and with one fleet-wide not_affected
// statement per advisory asked about (so every answer goes through the
// triage), the top vulnerabilities by running exposure, the diff of two
// images and the base-image view. The statements name every advisory asked
// about, so the top vulnerabilities recount all of those match by match:
// the worst case for the triage. Each reports p50 and p99 latency.
func BenchmarkViews(b *testing.B) {
	p, vdb := setup(b)
	n := fleetSize(2000)
	fleettest.Backends(b, func(b *testing.B, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(b, dsn)
		g := fleetgen.New(p, 42)
		ids := buildFleet(b, s, g, n, vdb)
		measure := func(name string, f func(i int) error) {
			b.Run(name, func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					if err := f(i); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			})
		}
		affected := func(i int) error {
			_, err := s.Affected(ctx, ids[i%len(ids)], store.Page{Limit: 100})
			return err
		}
		top := func(int) error {
			_, err := s.TopVulnerabilities(ctx, 20)
			return err
		}
		measure("affected-no-vex", affected)
		measure("top-no-vex", top)
		var stmts []string
		for _, id := range ids {
			stmts = append(stmts, `{"vulnerability": {"name": "`+id+`"}, "products": [{"@id": "pkg:pypi/not-installed-`+strings.ToLower(id)+`"}],
				"status": "not_affected", "justification": "component_not_present"}`)
		}
		doc := `{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "bench", "author": "bench", "timestamp": "2026-12-01T00:00:00Z",
			"version": 1, "statements": [` + strings.Join(stmts, ",") + `]}`
		vs, err := store.ParseOpenVEX([]byte(doc), time.Now().Unix())
		if err != nil {
			b.Fatal(err)
		}
		if err := s.PutVEX(ctx, vs); err != nil {
			b.Fatal(err)
		}
		measure(fmt.Sprintf("affected-%d-vex", len(vs)), affected)
		measure(fmt.Sprintf("top-%d-vex", len(vs)), top)
		measure("diff", func(i int) error {
			_, err := s.Diff(ctx, g.Digest(i%n), g.Digest((i+1)%n))
			return err
		})
		measure("base-images", func(int) error {
			_, err := s.BaseImages(ctx, "")
			return err
		})
	})
}

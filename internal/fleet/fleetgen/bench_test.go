package fleetgen_test

import (
	"context"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// benchImages generates n images from seed, so that a benchmark can make
// them before its clock starts.
func benchImages(p *fleetgen.Pool, seed uint64, n int) []store.Image {
	g := fleetgen.New(p, seed)
	ims := make([]store.Image, n)
	for i := range ims {
		ims[i] = g.Image(i)
	}
	return ims
}

// BenchmarkIngest stores generated SBOMs of about 300 packages, one
// transaction each; the images are generated before the clock starts.
func BenchmarkIngest(b *testing.B) {
	p, _ := setup(b)
	fleettest.Backends(b, func(b *testing.B, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(b, dsn)
		ims := benchImages(p, 7, b.N)
		b.ResetTimer()
		start, cpu := time.Now(), cpuTime()
		for i := 0; i < b.N; i++ {
			if _, err := s.Ingest(ctx, ims[i]); err != nil {
				b.Fatal(err)
			}
		}
		report(b, start, cpu)
	})
}

// BenchmarkIngestBatch stores the same SBOMs by group commit: as many
// images per transaction as the server's writer takes at most
// (server.MaxGroup), each whole or absent.
func BenchmarkIngestBatch(b *testing.B) {
	p, _ := setup(b)
	fleettest.Backends(b, func(b *testing.B, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(b, dsn)
		ims := benchImages(p, 7, b.N)
		b.ResetTimer()
		start, cpu := time.Now(), cpuTime()
		for i := 0; i < b.N; i += server.MaxGroup {
			if _, err := s.IngestBatch(ctx, ims[i:min(i+server.MaxGroup, b.N)]); err != nil {
				b.Fatal(err)
			}
		}
		report(b, start, cpu)
	})
}

// BenchmarkAffected measures the headline query on a generated fleet of
// SHIPSHAPE_FLEET_IMAGES images (default 2,000), matched against the Go
// and PyPI OSV records, over advisories that hit it; it reports p50 and
// p99 latency.
func BenchmarkAffected(b *testing.B) {
	p, vdb := setup(b)
	n := fleetSize(2000)
	fleettest.Backends(b, func(b *testing.B, dsn string) {
		ctx := context.Background()
		s := fleettest.OpenStore(b, dsn)
		ids := buildFleet(b, s, fleetgen.New(p, 42), n, vdb)
		lat := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if _, err := s.Affected(ctx, ids[i%len(ids)], store.Page{Limit: 100}); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	})
}

// cpuTime is the CPU time this process has used (user and system): on a
// shared machine wall-clock rates understate what the code needs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report gives the wall-clock rate and the in-process CPU time per SBOM
// (for PostgreSQL the server's own CPU is not included).
func report(b *testing.B, start time.Time, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "sboms/s")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/sbom")
}

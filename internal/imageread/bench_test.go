package imageread

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

var benchOnce sync.Once
var benchArchive string

// benchImage writes, once per process, a docker-archive of four gzip
// layers holding ~50 MB of files from 1 KB to 1 MB of half-compressible
// content, with some overwrites and whiteouts. SHIPSHAPE_BENCH_MB scales
// it.
func benchImage(b *testing.B) string { return benchImageT(b) }

func benchImageT(b testing.TB) string {
	benchOnce.Do(func() {
		total := 50 << 20
		if s := os.Getenv("SHIPSHAPE_BENCH_MB"); s != "" {
			if n, err := strconv.Atoi(s); err == nil {
				total = n << 20
			}
		}
		r := rand.New(rand.NewSource(1))
		words := []string{"config", "value", "server", "listen", "port", "true", "false", "path", "/usr/lib", "error"}
		var im imagetest.Image
		for l := 0; l < 4; l++ {
			var entries []imagetest.Entry
			size := 0
			for i := 0; size < total/4; i++ {
				n := 1 << (10 + r.Intn(11))
				buf := make([]byte, 0, n)
				for len(buf) < n {
					if r.Intn(2) == 0 {
						buf = append(buf, words[r.Intn(len(words))]...)
						buf = append(buf, ' ')
					} else {
						buf = append(buf, byte('a'+r.Intn(26)), byte('0'+r.Intn(10)))
					}
				}
				entries = append(entries, imagetest.File(fmt.Sprintf("usr/share/d%d/f%d", i%50, i), string(buf[:n])))
				size += n
			}
			if l > 0 {
				entries = append(entries, imagetest.Whiteout("usr/share/d1/f1"), imagetest.File("usr/share/d2/f2", "overwritten"))
			}
			entries = append(entries, imagetest.File("etc/os-release", "ID=bench\n"))
			im.Layers = append(im.Layers, imagetest.Layer{CreatedBy: "RUN generate", Entries: entries})
		}
		img := imagetest.Build(b, im)
		dir, err := os.MkdirTemp("", "shipshape-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchArchive = filepath.Join(dir, "bench.tar")
		if err := imagetest.WriteDockerArchive(benchArchive, img, ""); err != nil {
			b.Fatal(err)
		}
	})
	return benchArchive
}

func BenchmarkScanImage(b *testing.B) {
	p := benchImage(b)
	fi, _ := os.Stat(p)
	for _, bc := range []struct {
		name     string
		scanners []image.ContentScanner
	}{{"walk", nil}, {"toy-scanner", []image.ContentScanner{keyScanner{}}}} {
		b.Run(bc.name, func(b *testing.B) {
			src, err := Open(context.Background(), "docker-archive:"+p, OpenOptions{})
			if err != nil {
				b.Fatal(err)
			}
			defer src.Close()
			var uncompressed int64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				img, err := Scan(context.Background(), src, ScanOptions{NoCache: true, Capture: image.DefaultCapture, Scanners: bc.scanners})
				if err != nil {
					b.Fatal(err)
				}
				uncompressed = 0
				for _, l := range img.Layers {
					uncompressed += l.Size
				}
			}
			b.SetBytes(uncompressed)
			b.ReportMetric(float64(fi.Size())/(1<<20), "archive-MB")
		})
	}
}

// BenchmarkBaselineReadLayers is docs/contract.md's baseline: decompress every
// layer and read every byte of every file once, nothing else.
func BenchmarkBaselineReadLayers(b *testing.B) {
	p := benchImage(b)
	src, err := Open(context.Background(), "docker-archive:"+p, OpenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	ls, _ := src.Layers()
	b.ResetTimer()
	var n int64
	for i := 0; i < b.N; i++ {
		n = 0
		for _, l := range ls {
			rc, err := l.Open()
			if err != nil {
				b.Fatal(err)
			}
			tr := tar.NewReader(rc)
			for {
				if _, err := tr.Next(); err != nil {
					break
				}
				m, _ := io.Copy(io.Discard, tr)
				n += m
			}
			rc.Close()
		}
	}
	b.SetBytes(n)
}

// TestScanArchiveFromEnv scans $SHIPSHAPE_SCAN_ARCHIVE: the driver for
// measuring peak memory with /usr/bin/time -v on a big generated image
// (see the README).
func TestScanArchiveFromEnv(t *testing.T) {
	p := os.Getenv("SHIPSHAPE_SCAN_ARCHIVE")
	if p == "" {
		t.Skip("SHIPSHAPE_SCAN_ARCHIVE not set")
	}
	src, err := Open(context.Background(), p, OpenOptions{NoDaemon: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	img, err := Scan(context.Background(), src, ScanOptions{NoCache: true, Capture: image.DefaultCapture, Scanners: []image.ContentScanner{keyScanner{}}})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, l := range img.Layers {
		n += l.Size
	}
	t.Logf("%d layers, %d MB uncompressed, %d entries", len(img.Layers), n>>20, img.NumEntries())
}

// TestWriteBenchArchive writes the benchmark image to
// $SHIPSHAPE_WRITE_BENCH_ARCHIVE (size from SHIPSHAPE_BENCH_MB).
func TestWriteBenchArchive(t *testing.T) {
	p := os.Getenv("SHIPSHAPE_WRITE_BENCH_ARCHIVE")
	if p == "" {
		t.Skip("SHIPSHAPE_WRITE_BENCH_ARCHIVE not set")
	}
	// Copied as a stream: the 3 GB image's archive is near 1 GB.
	in, err := os.Open(benchImageT(t))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

package imageread

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// FuzzScanLayer feeds arbitrary bytes to the layer reader: it may fail,
// never panic, and what it keeps is confined to the root; streamed or
// read by offset, a layer reads the same.
func FuzzScanLayer(f *testing.F) {
	f.Add(imagetest.Tar(f, imagetest.File("etc/passwd", "root:x:0:0::/root:/bin/sh\n"), imagetest.File("usr/bin/su", "x").WithMode(0o4755)))
	f.Add(imagetest.Tar(f, imagetest.File("../../etc/shadow", "x"), imagetest.Symlink("a", "../../a"), imagetest.Opaque("a"), imagetest.Whiteout("etc")))
	f.Add(imagetest.Tar(f, imagetest.File("key.pem", pemKey), imagetest.Hardlink("hl", "../key.pem")))
	f.Add(imagetest.Tar(f, imagetest.File("x", strings.Repeat("y", 2000)))[:700])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := ScanOptions{Scanners: []image.ContentScanner{keyScanner{}}, Capture: image.DefaultCapture, MaxEntries: 10000, MaxLayerSize: 1 << 20}
		opts.defaults()
		budget := &atomic.Int64{}
		budget.Store(int64(opts.MaxEntries))
		res, err := scanLayer(context.Background(), io.MultiReader(bytes.NewReader(data)), 0, &opts, budget)
		// Read by offset, as a plain layer of an archive is, the layer
		// gives the same result or fails as well.
		budget.Store(int64(opts.MaxEntries))
		sres, serr := scanLayer(context.Background(), newSectionBuffer(io.NewSectionReader(bytes.NewReader(data), 0, int64(len(data)))), 0, &opts, budget)
		if (err == nil) != (serr == nil) || err == nil && !reflect.DeepEqual(res, sres) {
			t.Fatalf("stream: %v, %+v\nby offset: %v, %+v", err, res, serr, sres)
		}
		if err != nil {
			return
		}
		m := newMerger(&image.Image{}, res.Entries.N)
		if err := m.apply(0, res); err != nil {
			t.Fatalf("apply: %v", err)
		}
		m.finish([]*layerResult{res})
		n := 0
		for f := range m.img.Files() {
			p := f.Path
			if !strings.HasPrefix(p, "/") || strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") {
				t.Fatalf("unconfined path %q", p)
			}
			if n++; n < 20 {
				m.img.Resolve(p)
			}
		}
	})
}

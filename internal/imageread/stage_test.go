package imageread

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// panicScanner panics on files named "boom", and otherwise reports every
// file that holds "TOKEN" with the lines it is on: a scanner whose
// failures and findings both land in the layer's lists.
type panicScanner struct{}

func (panicScanner) Wants(h *tar.Header) bool { return !strings.HasSuffix(h.Name, ".skip") }
func (panicScanner) Scan(_ int, h *tar.Header, r io.Reader) ([]image.Secret, error) {
	if strings.HasSuffix(h.Name, "/boom") {
		panic("boom")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var out []image.Secret
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "TOKEN") {
			out = append(out, image.Secret{Kind: "token", Line: i + 1, Match: "TOKEN"})
		}
	}
	return out, nil
}

// stageLayer is a layer that takes every path through readContent: small
// files handed to the stage, files past stageMaxFile and captured files
// scanned in line after a drain, a capture over its cap (a warning from
// the entry goroutine), an over-long path (another), a scanner panic (a
// warning from the scanner), files no scanner wants, and secrets and
// records in all of them, interleaved so that any reordering shows.
func stageLayer(t *testing.T) []byte {
	t.Helper()
	var es []imagetest.Entry
	big := strings.Repeat("x", stageMaxFile) + "\nTOKEN big\n"
	for i := range 300 {
		switch i % 10 {
		case 0:
			es = append(es, imagetest.File(fmt.Sprintf("app/f%03d", i), fmt.Sprintf("#!/bin/sh\nTOKEN %d\n", i)))
		case 1:
			es = append(es, imagetest.File(fmt.Sprintf("app/big%03d", i), big))
		case 2:
			es = append(es, imagetest.File(fmt.Sprintf("etc/os-release%03d.skip", i), "ID=x\n"))
		case 3:
			es = append(es, imagetest.File(fmt.Sprintf("app/%03d/boom", i), "TOKEN\n"))
		case 4:
			es = append(es, imagetest.File(strings.Repeat("d/", DefaultMaxPathLen/2)+fmt.Sprint(i), "TOKEN\n"))
		case 5:
			es = append(es, imagetest.File(fmt.Sprintf("cap/%03d", i), "TOKEN captured\n"))
		case 6:
			es = append(es, imagetest.File(fmt.Sprintf("cap/huge%03d", i), "TOKEN\n"+strings.Repeat("y", 300)))
		default:
			es = append(es, imagetest.File(fmt.Sprintf("app/s%03d", i), fmt.Sprintf("line\nTOKEN %d\n#!/not/first\n", i)))
		}
	}
	return imagetest.Tar(t, es...)
}

// TestContentStageKeepsOrder reads the same layer with the content stage
// (two cores) and without it (one core): every list of the result must be
// the same, in the same order, and the stage must have been used.
func TestContentStageKeepsOrder(t *testing.T) {
	data := stageLayer(t)
	opts := ScanOptions{
		Scanners:       []image.ContentScanner{panicScanner{}},
		RecordScanners: []image.RecordScanner{shebangScanner{}},
		Capture: func(p string, size int64) bool {
			return strings.HasPrefix(p, "/cap/")
		},
		MaxCaptureSize: 100,
	}
	opts.defaults()
	read := func(procs int) *layerResult {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		if st := newContentStage(0, scannersOf(&opts), &layerResult{}); (st != nil) != (procs > 1) {
			t.Fatalf("GOMAXPROCS %d: stage started = %v", procs, st != nil)
		} else if st != nil {
			st.close()
		}
		budget := &atomic.Int64{}
		budget.Store(int64(opts.MaxEntries))
		res, err := scanLayer(context.Background(), bytes.NewReader(data), 0, &opts, budget)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	want, got := read(1), read(2)
	if len(want.Secrets) < 150 || len(want.Records) < 30 || len(want.Warnings) < 60 || len(want.Captured) < 25 {
		t.Fatalf("the layer yields too little to compare: %d secrets, %d records, %d warnings, %d captured",
			len(want.Secrets), len(want.Records), len(want.Warnings), len(want.Captured))
	}
	for name, pair := range map[string][2]any{
		"secrets":  {got.Secrets, want.Secrets},
		"records":  {got.Records, want.Records},
		"warnings": {got.Warnings, want.Warnings},
		"captured": {got.Captured, want.Captured},
		"entries":  {got.Entries, want.Entries},
		"size":     {got.Size, want.Size},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s differ with the stage", name)
		}
	}
}

// TestContentStageTruncated cuts a layer inside a file the stage would
// read: the error says truncated, as without the stage.
func TestContentStageTruncated(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	data := imagetest.Tar(t, imagetest.File("app/a", "TOKEN\n"), imagetest.File("app/b", strings.Repeat("z", 4000)))
	opts := ScanOptions{Scanners: []image.ContentScanner{panicScanner{}}}
	opts.defaults()
	budget := &atomic.Int64{}
	budget.Store(int64(opts.MaxEntries))
	_, err := scanLayer(context.Background(), bytes.NewReader(data[:512*3+1000]), 0, &opts, budget)
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("err = %v, want truncated", err)
	}
}

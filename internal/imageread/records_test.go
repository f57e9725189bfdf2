package imageread

import (
	"archive/tar"
	"bufio"
	"context"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// shebangScanner is a tiny RecordScanner: a file that starts with "#!"
// yields a record of its interpreter line.
type shebangScanner struct{}

func (shebangScanner) Wants(h *tar.Header) bool { return h.Size < 1<<20 }
func (shebangScanner) ScanRecords(_ int, _ *tar.Header, r io.Reader) ([]image.Record, error) {
	line, _ := bufio.NewReader(r).ReadString('\n')
	if !strings.HasPrefix(line, "#!") {
		return nil, nil
	}
	return []image.Record{{Kind: "test-shebang", Data: []byte(strings.TrimSpace(line))}}, nil
}

// TestRecordsSurviveCache scans two images that share a cached base layer:
// the records read from it come back from the cache, and the second
// image's whiteout and overwrite mark theirs deleted, as for secrets.
func TestRecordsSurviveCache(t *testing.T) {
	base := imagetest.Layer{CreatedBy: "ADD base /", Entries: []imagetest.Entry{
		imagetest.File("usr/bin/tool", "#!/bin/sh\necho tool\n"),
		imagetest.File("usr/bin/kept", "#!/usr/bin/env python3\n"),
		imagetest.File("usr/bin/replaced", "#!/bin/bash\n"),
		// Wanted by both kinds of scanner: the file is read once and
		// yields a secret and a record.
		imagetest.File("opt/both", "#!/bin/false\n"+pemKey),
		imagetest.File("etc/plain", "not a script\n"),
	}}
	a := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{base,
		{CreatedBy: "COPY a /app/", Uncompressed: true, Entries: []imagetest.Entry{imagetest.File("app/a", "a")}}}})
	b := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{base,
		{CreatedBy: "RUN rm tool", Uncompressed: true, Entries: []imagetest.Entry{
			imagetest.Whiteout("usr/bin/tool"),
			imagetest.File("usr/bin/replaced", "ELF"),
		}}}})
	opens := map[string]*atomic.Int64{}
	opts := ScanOptions{
		CacheDir:       t.TempDir(),
		CacheKey:       "test-v1",
		Scanners:       []image.ContentScanner{keyScanner{}},
		RecordScanners: []image.RecordScanner{shebangScanner{}},
	}
	scanWith := func(img v1.Image) *image.Image {
		t.Helper()
		got, err := Scan(context.Background(), &countingSource{Source: FromV1("mem", "test", img), opens: opens}, opts)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	type rec struct {
		path, data string
		layer      int
		deleted    bool
	}
	records := func(im *image.Image) []rec {
		var out []rec
		for _, r := range im.Records {
			if r.Kind != "test-shebang" {
				t.Errorf("record kind %q", r.Kind)
			}
			out = append(out, rec{r.Path, string(r.Data), r.Layer, r.Deleted})
		}
		return out
	}
	first := scanWith(a)
	second := scanWith(b)
	baseID := diffID(t, a, 0)
	if n := opens[baseID.String()].Load(); n != 1 {
		t.Fatalf("base layer read %d times, want 1 (the second scan must use the cache)", n)
	}

	want := []rec{
		{"/opt/both", "#!/bin/false", 0, false},
		{"/usr/bin/kept", "#!/usr/bin/env python3", 0, false},
		{"/usr/bin/replaced", "#!/bin/bash", 0, false},
		{"/usr/bin/tool", "#!/bin/sh", 0, false},
	}
	if got := records(first); !slices.Equal(got, want) {
		t.Errorf("first image records:\n got %+v\nwant %+v", got, want)
	}
	want[2].deleted, want[3].deleted = true, true
	if got := records(second); !slices.Equal(got, want) {
		t.Errorf("second image (cached base) records:\n got %+v\nwant %+v", got, want)
	}
	for _, im := range []*image.Image{first, second} {
		if len(im.Secrets) != 1 || im.Secrets[0].Path != "/opt/both" || im.Secrets[0].Deleted {
			t.Errorf("secrets: %+v", im.Secrets)
		}
	}
}

package imageread

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/shipshape-sec/shipshape/internal/image"
)

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testLayer is a deliberately broken layer (special-purpose, beside the
// imagetest builder): its blob, gzip or plain tar, may be truncated or
// corrupt while its DiffID is the digest of the tar it should hold, as a
// config would claim.
type testLayer struct {
	blob, tar []byte
	mt        types.MediaType
}

func (l *testLayer) Digest() (v1.Hash, error) {
	h, _, err := v1.SHA256(bytes.NewReader(l.blob))
	return h, err
}
func (l *testLayer) DiffID() (v1.Hash, error) {
	h, _, err := v1.SHA256(bytes.NewReader(l.tar))
	return h, err
}
func (l *testLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(l.blob)), nil
}
func (l *testLayer) Uncompressed() (io.ReadCloser, error) {
	if l.mt == types.DockerLayer {
		return gzip.NewReader(bytes.NewReader(l.blob))
	}
	return io.NopCloser(bytes.NewReader(l.blob)), nil
}
func (l *testLayer) Size() (int64, error)                { return int64(len(l.blob)), nil }
func (l *testLayer) MediaType() (types.MediaType, error) { return l.mt, nil }

// gzipFile writes a gzip-compressed copy of the file at p beside it and
// returns its path (a docker-archive saved through gzip).
func gzipFile(t testing.TB, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p+".gz", gz(t, data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p + ".gz"
}

// tarDir archives a directory (an OCI layout) into a tar file.
func tarDir(t testing.TB, root string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "layout.tar")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	err = filepath.Walk(root, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if rel == "." {
			return nil
		}
		h, _ := tar.FileInfoHeader(fi, "")
		h.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			tw.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// keyScanner is a tiny ContentScanner: a line with "PRIVATE KEY" is a
// private key.
type keyScanner struct{}

func (keyScanner) Wants(h *tar.Header) bool { return h.Size < 1<<20 }
func (keyScanner) Scan(layer int, h *tar.Header, r io.Reader) ([]image.Secret, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var out []image.Secret
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "BEGIN") && strings.Contains(line, "PRIVATE KEY") {
			out = append(out, image.Secret{Kind: "private-key", Line: i + 1, Match: "-----BEGIN ***"})
		}
	}
	return out, nil
}

// countingSource wraps a Source and counts layer opens, to prove the
// cache skips layers it already knows.
type countingSource struct {
	Source
	opens map[string]*atomic.Int64
}

func (c *countingSource) Layers() ([]LayerSource, error) {
	ls, err := c.Source.Layers()
	if err != nil {
		return nil, err
	}
	out := make([]LayerSource, len(ls))
	for i, l := range ls {
		n := c.opens[l.DiffID()]
		if n == nil {
			n = &atomic.Int64{}
			c.opens[l.DiffID()] = n
		}
		out[i] = countingLayer{l, n}
	}
	return out, nil
}

type countingLayer struct {
	LayerSource
	n *atomic.Int64
}

func (c countingLayer) Open() (io.ReadCloser, error) {
	c.n.Add(1)
	return c.LayerSource.Open()
}

func scanRef(t testing.TB, ref string, opts ScanOptions) (*image.Image, error) {
	t.Helper()
	src, err := Open(context.Background(), ref, OpenOptions{NoDaemon: true})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if opts.CacheDir == "" {
		opts.NoCache = true
	}
	return Scan(context.Background(), src, opts)
}

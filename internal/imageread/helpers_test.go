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
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/shipshape-sec/shipshape/internal/image"
)

// tf describes one tar entry of a test layer.
type tf struct {
	name string
	body string
	mode int64
	typ  byte
	link string
}

func file(name, body string) tf { return tf{name: name, body: body, mode: 0o644, typ: tar.TypeReg} }
func dir(name string) tf        { return tf{name: name, mode: 0o755, typ: tar.TypeDir} }
func symlink(name, target string) tf {
	return tf{name: name, link: target, mode: 0o777, typ: tar.TypeSymlink}
}
func mode(e tf, m int64) tf { e.mode = m; return e }

func tarBytes(t testing.TB, entries ...tf) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Typeflag: e.typ, Linkname: e.link, Size: int64(len(e.body)), ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if e.typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

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

// testLayer is a layer whose blob may be gzip or plain tar, and may be
// broken: its DiffID is the digest of the tar it should hold, as a
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

// gzLayer is a gzip-compressed layer, rawLayer an uncompressed one.
func gzLayer(t testing.TB, entries ...tf) v1.Layer {
	b := tarBytes(t, entries...)
	return &testLayer{blob: gz(t, b), tar: b, mt: types.DockerLayer}
}

func rawLayer(t testing.TB, entries ...tf) v1.Layer {
	b := tarBytes(t, entries...)
	return &testLayer{blob: b, tar: b, mt: types.OCIUncompressedLayer}
}

// build makes an image from layers, each with its history instruction,
// plus an empty-layer entry first (as ENV would).
func build(t testing.TB, cfg v1.Config, layers []v1.Layer, createdBy []string) v1.Image {
	t.Helper()
	img, err := mutate.Append(empty.Image, mutate.Addendum{
		Layer:   nil,
		History: v1.History{CreatedBy: "ENV PLACEHOLDER=1", EmptyLayer: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range layers {
		img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{CreatedBy: createdBy[i]}})
		if err != nil {
			t.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config = cfg
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func writeArchiveFile(p string, img v1.Image) error {
	return tarball.WriteToFile(p, nil, img)
}

func writeDockerArchive(t testing.TB, img v1.Image, gzipped bool) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "image.tar")
	if err := tarball.WriteToFile(p, nil, img); err != nil {
		t.Fatal(err)
	}
	if gzipped {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		p += ".gz"
		if err := os.WriteFile(p, gz(t, data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func writeOCILayout(t testing.TB, img v1.Image) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "layout")
	lp, err := layout.Write(p, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return p
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

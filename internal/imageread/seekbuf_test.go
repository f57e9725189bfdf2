package imageread

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// TestSectionBuffer drives a sectionBuffer and a bytes.Reader over the
// same bytes with the same random reads and forward or backward moves
// (inside the buffer and past it) and wants the same bytes and positions
// from both; a move past the end is a truncated layer and moves nothing.
func TestSectionBuffer(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, n := range []int{0, 1, 511, sectionBufferSize, 3*sectionBufferSize + 17, 1 << 20} {
		src := make([]byte, n)
		rng.Read(src)
		b := newSectionBuffer(io.NewSectionReader(bytes.NewReader(src), 0, int64(n)))
		ref := bytes.NewReader(src)
		for step := 0; step < 400; step++ {
			cur, _ := ref.Seek(0, io.SeekCurrent)
			switch op := rng.Intn(10); {
			case op < 5:
				size := []int{1, 512, 4096, sectionBufferSize, 2*sectionBufferSize + 5}[rng.Intn(5)]
				got, want := make([]byte, size), make([]byte, size)
				gn, gerr := b.Read(got)
				wn, _ := io.ReadFull(ref, want[:gn])
				if gn == 0 && cur == int64(n) {
					if gerr != io.EOF {
						t.Fatalf("%d bytes, step %d: read at the end: %d, %v", n, step, gn, gerr)
					}
					continue
				}
				if gerr != nil || gn == 0 || !bytes.Equal(got[:gn], want[:wn]) || gn != wn {
					t.Fatalf("%d bytes, step %d: read %d at %d: got %d (%v), want %d", n, step, size, cur, gn, gerr, wn)
				}
			case op < 9:
				off := int64(rng.Intn(3 * sectionBufferSize))
				if rng.Intn(4) == 0 {
					// Back, but only over what is still buffered.
					off = -min(off, int64(b.pos))
				}
				got, err := b.Seek(off, io.SeekCurrent)
				if cur+off > int64(n) {
					if !errors.Is(err, io.ErrUnexpectedEOF) || got != cur {
						t.Fatalf("%d bytes, step %d: seek %d past the end from %d: %d, %v", n, step, off, cur, got, err)
					}
					continue
				}
				want, _ := ref.Seek(off, io.SeekCurrent)
				if err != nil || got != want {
					t.Fatalf("%d bytes, step %d: seek %d from %d: got %d (%v), want %d", n, step, off, cur, got, err, want)
				}
			default:
				if _, err := b.Seek(0, io.SeekStart); err == nil {
					t.Fatal("an absolute seek was accepted")
				}
			}
		}
	}
}

// readCounter counts the bytes read from a file by offset.
type readCounter struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *readCounter) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestPlainLayerSkipsContent: a plain layer read by offset yields what
// the same layer yields as a stream (entries, secrets, captures, size)
// while reading little more than the content a scanner asked for; a
// layer over the size cap stops at the cap when tar seeks past it too.
func TestPlainLayerSkipsContent(t *testing.T) {
	key := "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"
	big := strings.Repeat("\x00big", 4<<20) // 16 MiB, over keyScanner's 1 MiB
	layer := imagetest.Tar(t,
		imagetest.File("etc/os-release", "ID=debian\n"),
		imagetest.File("data/one.bin", big),
		imagetest.File("app/id_rsa", key),
		imagetest.File("data/two.bin", big),
		imagetest.File("app/small", "x"),
	)
	opts := ScanOptions{Scanners: []image.ContentScanner{keyScanner{}}, Capture: image.DefaultCapture}
	opts.defaults()
	scan := func(r io.Reader) (*layerResult, error) {
		budget := &atomic.Int64{}
		budget.Store(int64(opts.MaxEntries))
		return scanLayer(context.Background(), r, 0, &opts, budget)
	}
	want, err := scan(io.MultiReader(bytes.NewReader(layer))) // no Seek
	if err != nil {
		t.Fatal(err)
	}
	rc := &readCounter{r: bytes.NewReader(layer)}
	got, err := scan(newSectionBuffer(io.NewSectionReader(rc, 0, int64(len(layer)))))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("seeking changed the result:\n got %+v\nwant %+v", got, want)
	}
	if len(got.Secrets) != 1 || got.Size != int64(len(layer)) {
		t.Errorf("secrets %v, size %d of %d", got.Secrets, got.Size, len(layer))
	}
	if n := rc.n.Load(); n > 1<<20 {
		t.Errorf("read %d of the layer's %d bytes: the 16 MiB files were not skipped", n, len(layer))
	}

	opts.MaxLayerSize = 8 << 20
	if _, err := scan(newSectionBuffer(io.NewSectionReader(bytes.NewReader(layer), 0, int64(len(layer))))); !errors.Is(err, ErrLimit) {
		t.Errorf("size cap while seeking: %v", err)
	}
	// The same through each store that can serve a blob by offset: a
	// plain layer seeks, a gzip layer streams, and both give the same.
	img := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{
		{CreatedBy: "ADD x /", Uncompressed: true, Entries: []imagetest.Entry{imagetest.File("data/one.bin", big), imagetest.File("app/id_rsa", key)}},
		{CreatedBy: "ADD y /", Entries: []imagetest.Entry{imagetest.File("data/two.bin", big), imagetest.File("app/small", "x")}},
	}})
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for _, l := range ls {
		plain, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, plain)
		plain.Close()
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, n)
	}
	oci := imagetest.OCILayout(t, img)
	for name, ref := range map[string]string{
		"docker-archive": "docker-archive:" + imagetest.DockerArchive(t, img, ""),
		"oci dir":        "oci:" + oci,
		"oci tar":        "oci:" + tarDir(t, oci),
	} {
		if _, err := scanRef(t, ref, ScanOptions{MaxLayerSize: 8 << 20}); !errors.Is(err, ErrLimit) {
			t.Errorf("%s: size cap of a plain layer: %v", name, err)
		}
		src, err := Open(context.Background(), ref, OpenOptions{NoDaemon: true})
		if err != nil {
			t.Fatal(err)
		}
		srcLayers, err := src.Layers()
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range srcLayers {
			lr, err := l.Open()
			if err != nil {
				t.Fatal(err)
			}
			if _, seeks := lr.(io.Seeker); seeks != (i == 0) {
				t.Errorf("%s: layer %d (plain: %v) opens as %T", name, i, i == 0, lr)
			}
			if err := lr.Close(); err != nil {
				t.Errorf("%s: layer %d: close: %v", name, i, err)
			}
		}
		src.Close()
		im, err := scanRef(t, ref, fixtureOpts)
		if err != nil {
			t.Fatal(err)
		}
		if len(im.Secrets) != 1 || im.Secrets[0].Path != "/app/id_rsa" || len(im.Layers) != 2 || im.Layers[0].Size != sizes[0] || im.Layers[1].Size != sizes[1] {
			t.Errorf("%s: secrets %v, layers %+v, want sizes %v", name, im.Secrets, im.Layers, sizes)
		}
	}
}

// sniffScanner reads the first 8 KiB of every file, as the secret
// scanner does before it decides a file is binary.
type sniffScanner struct{}

func (sniffScanner) Wants(*tar.Header) bool { return true }
func (sniffScanner) Scan(_ int, _ *tar.Header, r io.Reader) ([]image.Secret, error) {
	_, err := io.CopyN(io.Discard, r, 8<<10)
	if err == io.EOF {
		err = nil
	}
	return nil, err
}

// BenchmarkScanPlainLayer reads a plain layer of 2,000 files of 50 KB
// as a stream and by offset, with a scanner that sniffs each file (as
// image does) and with none (as sbom does for such files): by offset,
// what nobody reads is skipped.
func BenchmarkScanPlainLayer(b *testing.B) {
	var entries []imagetest.Entry
	body := strings.Repeat("\x00bin", 50000/4)
	for i := 0; i < 2000; i++ {
		entries = append(entries, imagetest.File(fmt.Sprintf("data/f%04d.bin", i), body))
	}
	layer := imagetest.Tar(b, entries...)
	// From a file, as an archive is read: the cost of a skip is a
	// system call, which memory would hide.
	p := filepath.Join(b.TempDir(), "layer.tar")
	if err := os.WriteFile(p, layer, 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, bc := range []struct {
		name string
		open func() io.Reader
	}{
		{"stream", func() io.Reader {
			return bufio.NewReaderSize(io.NewSectionReader(f, 0, int64(len(layer))), 64<<10)
		}},
		{"offset", func() io.Reader {
			return newSectionBuffer(io.NewSectionReader(f, 0, int64(len(layer))))
		}},
	} {
		for _, sc := range []struct {
			name     string
			scanners []image.ContentScanner
		}{{"sniff", []image.ContentScanner{sniffScanner{}}}, {"none", nil}} {
			b.Run(bc.name+"/"+sc.name, func(b *testing.B) {
				opts := ScanOptions{Scanners: sc.scanners}
				opts.defaults()
				b.SetBytes(int64(len(layer)))
				for b.Loop() {
					budget := &atomic.Int64{}
					budget.Store(int64(opts.MaxEntries))
					if _, err := scanLayer(context.Background(), bc.open(), 0, &opts, budget); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

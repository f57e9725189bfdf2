package sbom

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"

	"github.com/shipshape-sec/shipshape/internal/cachekey"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
)

// MaxBinarySize bounds an executable or Java archive the content scanner
// reads whole (debug/buildinfo and archive/zip need random access).
const MaxBinarySize = 128 << 20

// maxManifestSize bounds a captured language manifest (package.json,
// METADATA, package-lock.json) and a dpkg file list.
const maxManifestSize = 16 << 20

// RecordKind is the kind of the image.Record values the content scanner
// returns: Data is the JSON array of the Packages read from the file.
const RecordKind = "sbom-packages"

// ScanOptions adds what the catalogers declare (Catalogers) to o: the
// files they capture (in addition to o.Capture, or image.DefaultCapture
// when nil), the content scanner for the files they read as they stream by
// (Go binaries, Java archives), and their CacheKey to the cache key.
func ScanOptions(o imageread.ScanOptions) imageread.ScanOptions {
	cats := Catalogers()
	base := o.Capture
	if base == nil {
		base = image.DefaultCapture
		o.CacheKey = cachekey.Join(o.CacheKey, image.DefaultCaptureKey())
	}
	var capture []Pattern
	for _, c := range cats {
		capture = append(capture, c.Capture...)
	}
	set := newPatternSet(capture)
	o.Capture = func(p string, size int64) bool {
		return base(p, size) || set.match(p, size)
	}
	o.RecordScanners = append(append([]image.RecordScanner(nil), o.RecordScanners...), newScanner(cats))
	o.CacheKey = cachekey.Join(o.CacheKey, cacheKeyOf(cats))
	return o
}

// Scanner is the record scanner that reads Go build information from
// executables and Maven coordinates from Java archives during the image
// pass, the files the catalogers' Scan declarations select. What it finds
// is returned as image.Record values of RecordKind, which the pass caches
// per layer and marks Deleted when a later layer hides the file.
type Scanner struct {
	scans     []Scan
	readLimit int64
}

var _ image.RecordScanner = (*Scanner)(nil)

// NewScanner returns the SBOM content scanner of Catalogers.
func NewScanner() *Scanner { return newScanner(Catalogers()) }

func newScanner(cats []Cataloger) *Scanner {
	s := &Scanner{}
	for _, c := range cats {
		if c.Scan.Executable || len(c.Scan.Extensions) > 0 {
			s.scans = append(s.scans, c.Scan)
			s.readLimit = max(s.readLimit, c.Scan.MaxSize)
		}
	}
	return s
}

// Wants selects the files some cataloger's Scan selects.
func (s *Scanner) Wants(h *tar.Header) bool {
	for _, sc := range s.scans {
		if sc.Wants(h) {
			return true
		}
	}
	return false
}

// ReadLimit asks for whole files, up to the largest Scan.MaxSize.
func (s *Scanner) ReadLimit() int64 { return s.readLimit }

// ScanRecords reads the first bytes to recognise the format and reads the
// rest only for an executable or a zip archive.
func (*Scanner) ScanRecords(_ int, h *tar.Header, r io.Reader) ([]image.Record, error) {
	head := make([]byte, 4)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, nil
	}
	isJar := javaArchive(h.Name) && bytes.HasPrefix(head, []byte("PK\x03\x04"))
	if !isJar && !executableMagic(head) {
		return nil, nil
	}
	ra, size, done, err := spool(head, r, h.Size)
	if err != nil {
		return nil, err
	}
	defer done()
	var pkgs []Package
	if isJar {
		pkgs = parseJar(ra, size, h.Name, 2)
	} else {
		pkgs = parseGoBinary(ra, h.Name)
	}
	if len(pkgs) == 0 {
		return nil, nil
	}
	enc, err := json.Marshal(pkgs)
	if err != nil {
		return nil, err
	}
	return []image.Record{{Kind: RecordKind, Path: h.Name, Data: enc}}, nil
}

// spoolInMemory is the largest file ScanRecords reads into memory; a
// bigger one (a Go toolchain binary is 10 to 30 MB) goes through a
// temporary file, so that the memory of an image pass does not grow with
// the largest executable in the image.
const spoolInMemory = 1 << 20

// spool makes the file whose first bytes are head and whose rest r
// streams (size bytes in all, per its header) readable at random, as
// debug/buildinfo and archive/zip need: in memory when small, else in a
// temporary file that done removes. An error is the layer's (reading r),
// never the temporary file's: without one the file is read into memory.
func spool(head []byte, r io.Reader, size int64) (ra io.ReaderAt, n int64, done func(), err error) {
	noop := func() {}
	if size > spoolInMemory {
		if f, ferr := os.CreateTemp("", "shipshape-spool-*"); ferr == nil {
			done := func() { f.Close(); os.Remove(f.Name()) }
			m, err := io.Copy(f, io.MultiReader(bytes.NewReader(head), r))
			if err != nil {
				done()
				return nil, 0, noop, err
			}
			return f, m, done, nil
		}
	}
	// The header's size is known and capped by Wants: read into one
	// buffer of that size rather than growing one.
	data := make([]byte, max(size, int64(len(head))))
	copy(data, head)
	m, err := io.ReadFull(r, data[len(head):])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, 0, noop, err
	}
	data = data[:len(head)+m]
	return bytes.NewReader(data), int64(len(data)), noop, nil
}

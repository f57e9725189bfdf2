package sbom

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"path"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
)

// ScannerVersion names the catalogers' contribution to an image scan (the
// files they capture and what the content scanner records). It is part of
// the layer cache key: change it whenever either changes.
const ScannerVersion = "sbom-v2"

// MaxBinarySize bounds an executable or Java archive the content scanner
// reads whole (debug/buildinfo and archive/zip need random access).
const MaxBinarySize = 128 << 20

// maxManifestSize bounds a captured language manifest (package.json,
// METADATA, package-lock.json) and a dpkg file list.
const maxManifestSize = 16 << 20

// RecordKind is the kind of the image.Record values the content scanner
// returns: Data is the JSON array of the Packages read from the file.
const RecordKind = "sbom-packages"

// ScanOptions adds what the catalogers need to o: the package manifests
// and dpkg file lists captured (in addition to o.Capture, or
// image.DefaultCapture when nil), the content scanner for Go binaries and
// Java archives, and ScannerVersion in the cache key.
func ScanOptions(o imageread.ScanOptions) imageread.ScanOptions {
	base := o.Capture
	if base == nil {
		base = image.DefaultCapture
	}
	o.Capture = func(p string, size int64) bool { return base(p, size) || Capture(p, size) }
	o.RecordScanners = append(append([]image.RecordScanner(nil), o.RecordScanners...), NewScanner())
	if o.CacheKey != "" {
		o.CacheKey += "+"
	}
	o.CacheKey += ScannerVersion
	return o
}

// Capture selects the small files the catalogers read besides
// image.DefaultCapture's package databases: dpkg file lists (to know which
// files OS packages own), installed npm package.json files,
// package-lock.json, and Python METADATA / PKG-INFO.
func Capture(p string, size int64) bool {
	if size > maxManifestSize {
		return false
	}
	if rest, ok := strings.CutPrefix(p, "/var/lib/dpkg/info/"); ok {
		return strings.HasSuffix(rest, ".list") && !strings.Contains(rest, "/")
	}
	if isNodeModulesManifest(p) || isPythonMetadata(p) {
		return true
	}
	return path.Base(p) == "package-lock.json" && !strings.Contains(p, "/node_modules/")
}

// Scanner is the record scanner that reads Go build information from
// executables and Maven coordinates from Java archives during the image
// pass. What it finds is returned as image.Record values of RecordKind,
// which the pass caches per layer and marks Deleted when a later layer
// hides the file.
type Scanner struct{}

var _ image.RecordScanner = (*Scanner)(nil)

// NewScanner returns the SBOM content scanner.
func NewScanner() *Scanner { return &Scanner{} }

// Wants selects executable regular files and Java archives up to
// MaxBinarySize.
func (*Scanner) Wants(h *tar.Header) bool {
	if h.Size < 64 || h.Size > MaxBinarySize {
		return false
	}
	return h.Mode&0o111 != 0 || javaArchive(h.Name)
}

// ReadLimit asks for whole binaries.
func (*Scanner) ReadLimit() int64 { return MaxBinarySize }

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
	// The header's size is known and capped by Wants: read into one
	// buffer of that size rather than growing one.
	data := make([]byte, h.Size)
	copy(data, head)
	n, err := io.ReadFull(r, data[len(head):])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	data = data[:len(head)+n]
	var pkgs []Package
	if isJar {
		pkgs = parseJar(bytes.NewReader(data), int64(len(data)), h.Name, 2)
	} else {
		pkgs = parseGoBinary(bytes.NewReader(data), h.Name)
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

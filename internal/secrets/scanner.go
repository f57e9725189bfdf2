package secrets

import (
	"archive/tar"
	"bytes"
	"io"
	"path"
	"strings"
	"sync"

	"github.com/shipshape-sec/shipshape/internal/cachekey"
	"github.com/shipshape-sec/shipshape/internal/image"
)

// Version names the detectors' behaviour. The image pass caches each
// layer's findings under a key its caller chooses; a key that includes
// Version keeps findings of older detectors from being served after an
// upgrade. It changes whenever a detector or a verdict of this package
// does.
const Version = "3"

// DefaultMaxFileSize is how much of one file the scanner reads by default.
// Credentials sit in small configuration files; the cap keeps a huge data
// file from costing more than its first few megabytes.
const DefaultMaxFileSize = 4 << 20

// binarySniff is how much of a file is checked for a NUL byte, the sign of
// a binary that the text detectors would only waste time on.
const binarySniff = 8 << 10

// Scanner finds credentials in the files of image layers. It implements
// image.ContentScanner and is safe for concurrent use.
type Scanner struct {
	// MaxFileSize caps the bytes read from one file (0: DefaultMaxFileSize).
	MaxFileSize int64
	pool        sync.Pool
}

var _ image.ContentScanner = (*Scanner)(nil)

// New returns a scanner reading at most maxFileSize bytes of each file (0
// for the default).
func New(maxFileSize int64) *Scanner {
	if maxFileSize <= 0 {
		maxFileSize = DefaultMaxFileSize
	}
	return &Scanner{MaxFileSize: maxFileSize}
}

// skipExt are file types that are binary or compressed, where a text
// detector finds nothing (a key inside a zip is not readable as text).
var skipExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".webp": true, ".bmp": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true, ".mp3": true, ".mp4": true, ".ogg": true, ".wav": true,
	".gz": true, ".tgz": true, ".xz": true, ".bz2": true, ".zst": true, ".zip": true, ".jar": true, ".war": true, ".whl": true, ".7z": true,
	".so": true, ".a": true, ".o": true, ".pyc": true, ".pyo": true, ".class": true, ".mo": true, ".gmo": true, ".wasm": true,
	".deb": true, ".rpm": true, ".db": true, ".sqlite": true, ".pdf": true,
}

// skipDirs hold data that is never configuration: documentation, locales,
// time zones, pseudo file systems.
var skipDirs = []string{"/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/", "/usr/share/i18n/", "/usr/share/zoneinfo/", "/usr/lib/locale/", "/usr/share/mime/", "/usr/share/icons/", "/proc/", "/sys/", "/dev/"}

// CleanPath turns a tar entry name into the absolute path the image view
// uses ("./etc/passwd" -> "/etc/passwd"). A name that is already a clean
// absolute path, as the image pass hands them over, is returned as it is,
// without a copy: this runs on every file of every layer.
func CleanPath(name string) string {
	if cleanAbs(name) {
		return name
	}
	return path.Clean("/" + name)
}

// cleanAbs reports whether p is a clean absolute path, path.Clean(p) ==
// p, by three searches that run at vector speed where path.Clean went
// through p a byte at a time.
func cleanAbs(p string) bool {
	if p == "/" {
		return true
	}
	return len(p) > 1 && p[0] == '/' && p[len(p)-1] != '/' &&
		!strings.Contains(p, "//") && !strings.Contains(p, "/./") && !strings.Contains(p, "/../") &&
		!strings.HasSuffix(p, "/.") && !strings.HasSuffix(p, "/..")
}

// Wants selects regular, non-empty files that are not known binary or
// documentation formats.
func (s *Scanner) Wants(h *tar.Header) bool {
	if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA || h.Size <= 0 {
		return false
	}
	p := CleanPath(h.Name)
	if strings.Contains(path.Base(p), ".wh.") {
		return false
	}
	if skipExt[strings.ToLower(path.Ext(p))] {
		return false
	}
	for _, d := range skipDirs {
		if strings.HasPrefix(p, d) {
			return false
		}
	}
	// A published package's test and example material is not read at
	// all: its keys and tokens were published with it (see Fixture).
	return !Fixture(p)
}

// Scan reads up to MaxFileSize bytes of one file and reports the
// credentials in it.
func (s *Scanner) Scan(layer int, h *tar.Header, r io.Reader) ([]image.Secret, error) {
	limit := s.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	bp, _ := s.pool.Get().(*bytes.Buffer)
	if bp == nil {
		bp = new(bytes.Buffer)
	}
	defer func() {
		// Very large buffers are dropped so that one big file does not pin
		// its memory for the rest of the scan.
		if bp.Cap() <= 1<<20 {
			bp.Reset()
			s.pool.Put(bp)
		}
	}()
	bp.Reset()
	want := limit
	if h.Size > 0 && h.Size < limit {
		want = h.Size
	}
	// The first bytes tell a binary file, which is then not read further:
	// a large binary costs binarySniff bytes, not a buffer grown by
	// doubling to MaxFileSize. The rest of a text file is read into one
	// buffer of its final size.
	lr := io.LimitReader(r, limit)
	bp.Grow(int(min(want, binarySniff)))
	if _, err := bp.ReadFrom(io.LimitReader(lr, binarySniff)); err != nil {
		return nil, err
	}
	if bytes.IndexByte(bp.Bytes(), 0) >= 0 {
		return nil, nil
	}
	if int64(bp.Len()) == binarySniff {
		bp.Grow(int(want-binarySniff) + bytes.MinRead)
		if _, err := bp.ReadFrom(lr); err != nil {
			return nil, err
		}
	}
	data := bp.Bytes()
	p := CleanPath(h.Name)
	fs := Detect(p, data)
	if len(fs) == 0 {
		return nil, nil
	}
	out := make([]image.Secret, 0, len(fs))
	for _, f := range fs {
		out = append(out, image.Secret{Path: p, Layer: layer, Kind: f.Kind, Line: f.Line, Match: f.Match})
	}
	return out, nil
}

// CacheKey is the scanner's part of the layer cache key, derived from its
// declaration: the detectors' Version (they are code, so their version is
// their declaration) and the read limit.
func (s *Scanner) CacheKey() string {
	return cachekey.Of("secrets", struct {
		Version     string
		MaxFileSize int64
	}{Version, s.ReadLimit()})
}

// ReadLimit tells the image pass how much of each file to hand over
// (imageread.ReadLimiter).
func (s *Scanner) ReadLimit() int64 {
	if s.MaxFileSize <= 0 {
		return DefaultMaxFileSize
	}
	return s.MaxFileSize
}

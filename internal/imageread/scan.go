package imageread

import (
	"context"
	"errors"
	"runtime"

	"github.com/shipshape-sec/shipshape/internal/image"
)

// Default limits for hostile input; ScanOptions fields left zero take them.
const (
	DefaultMaxEntries     = 2_000_000
	DefaultMaxLayerSize   = 64 << 30
	DefaultMaxScanBytes   = 8 << 20
	DefaultMaxCaptureSize = 64 << 20
	DefaultMaxPathLen     = 4096
)

// ErrLimit is wrapped by Scan's error when a layer exceeds a size or
// entry-count cap.
var ErrLimit = errors.New("limit exceeded")

// ScanOptions tune the streaming pass.
type ScanOptions struct {
	// Scanners see every regular file they want, in every layer, through a
	// reader bounded by MaxScanBytes (or the scanner's own ReadLimit when
	// it implements ReadLimiter).
	Scanners []image.ContentScanner
	// RecordScanners are read like Scanners, with the same bounds and the
	// same single read of each file, and fill Image.Records.
	RecordScanners []image.RecordScanner
	// Capture selects small regular files whose content is kept
	// (os-release, passwd, package databases); it gets the clean absolute
	// path and the size. Files are captured per layer and the final view
	// keeps the copy that survives. DefaultCapture is a good start; nil
	// captures nothing.
	Capture func(path string, size int64) bool
	// MaxEntries caps the entries of the whole image; MaxLayerSize the
	// uncompressed bytes of one layer; MaxScanBytes what a scanner reads of
	// one file; MaxCaptureSize one captured file (bigger ones are skipped
	// with a warning). Zero means the Default* constant.
	MaxEntries     int
	MaxLayerSize   int64
	MaxScanBytes   int64
	MaxCaptureSize int64
	// Parallel is how many layers are decompressed at once; zero means
	// min(4, GOMAXPROCS).
	Parallel int
	// CacheKey identifies everything that shapes a layer's result besides
	// its content: the scanners' and capture set's version. Results are
	// cached per layer DiffID and CacheKey in CacheDir (default
	// os.UserCacheDir()/shipshape/layers). NoCache turns the cache off.
	CacheKey string
	CacheDir string
	NoCache  bool
}

// ReadLimiter is implemented by a ContentScanner or RecordScanner that
// wants more or less of each file than ScanOptions.MaxScanBytes.
type ReadLimiter interface {
	ReadLimit() int64
}

func (o *ScanOptions) defaults() {
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxLayerSize <= 0 {
		o.MaxLayerSize = DefaultMaxLayerSize
	}
	if o.MaxScanBytes <= 0 {
		o.MaxScanBytes = DefaultMaxScanBytes
	}
	if o.MaxCaptureSize <= 0 {
		o.MaxCaptureSize = DefaultMaxCaptureSize
	}
	if o.Parallel <= 0 {
		o.Parallel = min(4, runtime.GOMAXPROCS(0))
	}
}

// Scan reads every layer of src once, as a stream (never extracted, never
// held whole in memory), applies whiteouts and returns the Image: config,
// history mapped to layers, per-layer facts, the final file view with
// provenance, every entry of every layer with Shadowed marked, the
// scanners' secrets and records (Deleted when a later layer hid the file)
// and the captured files of the final view. A truncated or corrupt layer is an
// error naming its digest.
func Scan(ctx context.Context, src Source, opts ScanOptions) (*image.Image, error) {
	opts.defaults()
	return scan(ctx, src, opts)
}

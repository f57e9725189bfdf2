package imageread

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync/atomic"

	"github.com/shipshape-sec/shipshape/internal/image"
)

// layerEntry is one tar entry of one layer, cleaned; the cached form.
type layerEntry struct {
	Path     string
	Linkname string
	Size     int64
	Mode     fs.FileMode
	UID, GID int
	Typeflag byte
	Whiteout bool
	Opaque   bool
}

// layerResult is what one layer yields, independent of its position in an
// image, so it can be cached per layer and merged in any image.
type layerResult struct {
	// Size counts the bytes of the uncompressed tar stream.
	Size     int64
	Entries  entryList
	Secrets  []image.Secret
	Records  []image.Record
	Captured map[string][]byte
	Warnings []string
}

const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	opaqueMarker   = ".wh..wh..opq"
)

// cleanPath confines a tar path to the image root: "./a", "a", "/a" and
// "../../a" all become "/a".
func cleanPath(name string) string {
	return path.Clean("/" + name)
}

// countingReader counts what passes through it and fails past limit, so a
// decompression bomb stops at the cap instead of running for hours.
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		return n, fmt.Errorf("uncompressed layer larger than %d bytes: %w", c.limit, ErrLimit)
	}
	return n, err
}

// countingSeeker is a countingReader over a stream that can seek: the
// tar reader then skips unread content by seeking, and the skipped bytes
// count as read.
type countingSeeker struct {
	*countingReader
	s io.Seeker
}

// Seek moves relative to the current position, the only move tar makes.
func (c *countingSeeker) Seek(offset int64, whence int) (int64, error) {
	if whence != io.SeekCurrent {
		return 0, errors.New("countingSeeker: only relative seeks")
	}
	pos, err := c.s.Seek(offset, io.SeekCurrent)
	if err != nil {
		return pos, err
	}
	c.n += offset
	if c.n > c.limit {
		return pos, fmt.Errorf("uncompressed layer larger than %d bytes: %w", c.limit, ErrLimit)
	}
	return pos, nil
}

// scanLayer reads one uncompressed layer stream to its end: every entry
// recorded (whiteouts as deletions of the path they name), wanted files
// fed to the scanners, selected files captured. budget counts the entries
// left for the whole image.
func scanLayer(ctx context.Context, r io.Reader, idx int, opts *ScanOptions, budget *atomic.Int64) (*layerResult, error) {
	cr := &countingReader{r: r, limit: opts.MaxLayerSize}
	tr := tar.NewReader(cr)
	if s, ok := r.(io.Seeker); ok {
		tr = tar.NewReader(&countingSeeker{countingReader: cr, s: s})
	}
	res := &layerResult{}
	entries := &entryWriter{l: &res.Entries}
	scanners := scannersOf(opts)
	rc := &contentReader{idx: idx, opts: opts, scanners: scanners, res: res, stage: newContentStage(idx, scanners, res)}
	if rc.stage != nil {
		// Also on an error return: the stage stops, and the result it
		// was filling is dropped.
		defer rc.stage.close()
	}
	for i := 0; ; i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readErr(err)
		}
		if budget.Add(-1) < 0 {
			return nil, fmt.Errorf("more than %d entries in the image: %w", opts.MaxEntries, ErrLimit)
		}
		if len(h.Name) > DefaultMaxPathLen {
			rc.warn("layer %d: skipped an entry with a %d-byte path", idx, len(h.Name))
			continue
		}
		p := cleanPath(h.Name)
		dir, base := path.Split(p)
		if base == opaqueMarker {
			entries.add(layerEntry{Path: path.Clean(dir), Whiteout: true, Opaque: true, Typeflag: h.Typeflag})
			continue
		}
		if strings.HasPrefix(base, whiteoutMeta) {
			// AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs), not files.
			continue
		}
		if name, ok := strings.CutPrefix(base, whiteoutPrefix); ok {
			if name == "" || name == "." || name == ".." {
				continue
			}
			entries.add(layerEntry{Path: path.Join(dir, name), Whiteout: true, Typeflag: h.Typeflag})
			continue
		}
		if p == "/" {
			continue
		}
		e := layerEntry{
			Path:     p,
			Mode:     h.FileInfo().Mode(),
			UID:      h.Uid,
			GID:      h.Gid,
			Typeflag: h.Typeflag,
		}
		switch h.Typeflag {
		case tar.TypeSymlink:
			e.Linkname = h.Linkname
		case tar.TypeLink:
			e.Linkname = cleanPath(h.Linkname)
		case tar.TypeReg, tar.TypeRegA:
			e.Typeflag = tar.TypeReg
			e.Size = h.Size
			if e.Size < 0 {
				e.Size = 0
			}
			if err := rc.read(p, h, tr); err != nil {
				return nil, err
			}
		}
		entries.add(e)
	}
	// Read what follows the end-of-archive marker, so that the size is the
	// stream's and a corrupt compressed tail is noticed.
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, readErr(err)
	}
	if rc.stage != nil {
		rc.stage.drain()
	}
	res.Size = cr.n
	return res, nil
}

func readErr(err error) error {
	if errors.Is(err, ErrLimit) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated: %w", err)
	}
	return fmt.Errorf("corrupt: %w", err)
}

// fileScanner is one scanner of either kind, as readContent runs it:
// exactly one of secrets and records is set.
type fileScanner struct {
	secrets image.ContentScanner
	records image.RecordScanner
	// limit is how many bytes of a file it reads.
	limit int64
}

// scannersOf lists the secret scanners, then the record scanners, with
// their read limits.
func scannersOf(opts *ScanOptions) []fileScanner {
	out := make([]fileScanner, 0, len(opts.Scanners)+len(opts.RecordScanners))
	limit := func(s any) int64 {
		if rl, ok := s.(ReadLimiter); ok && rl.ReadLimit() > 0 {
			return rl.ReadLimit()
		}
		return opts.MaxScanBytes
	}
	for _, s := range opts.Scanners {
		out = append(out, fileScanner{secrets: s, limit: limit(s)})
	}
	for _, s := range opts.RecordScanners {
		out = append(out, fileScanner{records: s, limit: limit(s)})
	}
	return out
}

func (s *fileScanner) wants(h *tar.Header) bool {
	if s.secrets != nil {
		return s.secrets.Wants(h)
	}
	return s.records.Wants(h)
}

// contentReader feeds the regular files of one layer to the scanners
// that want them and captures those asked for, through the layer's
// content stage when it has one.
type contentReader struct {
	idx      int
	opts     *ScanOptions
	scanners []fileScanner
	res      *layerResult
	stage    *contentStage // nil: every file is scanned in line
	// hdr is the header handed to the scanners, one for the whole
	// layer: a copy per file was a 400-byte allocation per file.
	hdr tar.Header
	// wanted lists the scanners that want the current file.
	wanted []*fileScanner
}

// warn adds a warning to the layer's result in its place.
func (c *contentReader) warn(format string, args ...any) {
	if c.stage != nil {
		c.stage.warn(format, args...)
		return
	}
	c.res.Warnings = append(c.res.Warnings, fmt.Sprintf(format, args...))
}

// read feeds one regular file to the scanners that want it and captures
// it when asked, reading it at most once.
func (c *contentReader) read(p string, h *tar.Header, tr io.Reader) error {
	c.hdr = *h
	c.hdr.Name = p
	hc := &c.hdr
	// The scanners that want the file, as a list and, for the stage
	// (which a layer has only with at most 64 scanners), as a bit set.
	c.wanted = c.wanted[:0]
	var set uint64
	maxLimit := int64(0)
	for i := range c.scanners {
		if !c.scanners[i].wants(hc) {
			continue
		}
		c.wanted = append(c.wanted, &c.scanners[i])
		set |= 1 << i
		maxLimit = max(maxLimit, c.scanners[i].limit)
	}
	capture := false
	if c.opts.Capture != nil && c.opts.Capture(p, h.Size) {
		if h.Size > c.opts.MaxCaptureSize {
			c.warn("layer %d: %s: not captured, %d bytes is over the %d-byte cap", c.idx, p, h.Size, c.opts.MaxCaptureSize)
		} else {
			capture = true
		}
	}
	if len(c.wanted) == 0 && !capture {
		return nil
	}
	if c.stage != nil {
		if n := min(max(h.Size, 0), maxLimit); !capture && n <= stageMaxFile {
			return c.stage.scan(hc, set, tr, int(n))
		}
		// In line, after what is queued, so that the lists keep the
		// entries' order.
		c.stage.drain()
	}
	return readContent(c.idx, p, hc, tr, c.opts, c.wanted, capture, maxLimit, c.res)
}

// readContent scans one regular file in line (hc named by its clean path
// p), and captures it when asked, reading it at most once.
func readContent(idx int, p string, hc *tar.Header, tr io.Reader, opts *ScanOptions, wanted []*fileScanner, capture bool, maxLimit int64, res *layerResult) error {
	if len(wanted) == 1 && !capture {
		return runScanner(idx, hc, wanted[0], io.LimitReader(tr, wanted[0].limit), res)
	}
	n := maxLimit
	if capture {
		n = max(n, hc.Size)
	}
	if hc.Size > spoolInMemory && n > spoolInMemory {
		if f, err := os.CreateTemp("", "shipshape-spool-*"); err == nil {
			defer func() { f.Close(); os.Remove(f.Name()) }()
			return readSpooled(idx, p, hc, tr, n, capture, wanted, f, res)
		}
	}
	data, err := io.ReadAll(io.LimitReader(tr, n))
	if err != nil {
		return readErr(err)
	}
	if capture {
		if res.Captured == nil {
			res.Captured = map[string][]byte{}
		}
		res.Captured[p] = data
	}
	for _, s := range wanted {
		d := data
		if int64(len(d)) > s.limit {
			d = d[:s.limit]
		}
		if err := runScanner(idx, hc, s, bytes.NewReader(d), res); err != nil {
			return err
		}
	}
	return nil
}

// spoolInMemory is the largest file readContent holds in memory to hand
// to several consumers; a bigger one is written to a temporary file once
// and each scanner reads its part from there, so that one large file
// costs no memory in proportion to its size (a captured file still does:
// its content is the result).
const spoolInMemory = 1 << 20

// readSpooled is readContent's path for a large file: up to n bytes of it
// copied to the empty temporary file f, then captured and scanned from f.
func readSpooled(idx int, p string, hc *tar.Header, tr io.Reader, n int64, capture bool, wanted []*fileScanner, f *os.File, res *layerResult) error {
	m, err := io.Copy(f, io.LimitReader(tr, n))
	if err != nil {
		return readErr(err)
	}
	if capture {
		data := make([]byte, m)
		if _, err := f.ReadAt(data, 0); err != nil {
			return fmt.Errorf("%s: read back spooled content: %w", p, err)
		}
		if res.Captured == nil {
			res.Captured = map[string][]byte{}
		}
		res.Captured[p] = data
	}
	for _, s := range wanted {
		if err := runScanner(idx, hc, s, io.NewSectionReader(f, 0, min(m, s.limit)), res); err != nil {
			return err
		}
	}
	return nil
}

// runScanner runs one content scanner; its failure is a warning, but a
// failure to read the layer underneath is the layer's error.
func runScanner(idx int, h *tar.Header, s *fileScanner, r io.Reader, res *layerResult) (err error) {
	tracked := &errReader{r: r}
	defer func() {
		if v := recover(); v != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("layer %d: %s: content scanner panicked: %v", idx, h.Name, v))
			err = tracked.err
		}
	}()
	var (
		found   []image.Secret
		records []image.Record
		serr    error
	)
	if s.secrets != nil {
		found, serr = s.secrets.Scan(idx, h, tracked)
	} else {
		records, serr = s.records.ScanRecords(idx, h, tracked)
	}
	if tracked.err != nil {
		return readErr(tracked.err)
	}
	if serr != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("layer %d: %s: content scanner: %v", idx, h.Name, serr))
	}
	for _, f := range found {
		if f.Path == "" {
			f.Path = h.Name
		}
		f.Layer = idx
		res.Secrets = append(res.Secrets, f)
	}
	for _, r := range records {
		if r.Path == "" {
			r.Path = h.Name
		}
		r.Layer = idx
		res.Records = append(res.Records, r)
	}
	return nil
}

// errReader remembers a read error other than EOF, which belongs to the
// layer, not to the scanner that happened to be reading.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

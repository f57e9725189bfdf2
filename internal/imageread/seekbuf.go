package imageread

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// sectionBuffer reads an uncompressed layer stored in an uncompressed
// archive (what docker save writes) through a buffer, yet lets the tar
// reader seek past file content nobody asked for. A bufio.Reader would
// hide the Seek, and tar would then read every byte of every file: for
// sbom, which reads a few package databases, that was nearly all of the
// work on an archive of large files. Unbuffered, tar would issue a read
// per 512-byte header.
type sectionBuffer struct {
	sr *io.SectionReader
	// off is the section offset of buf[0]; buf[pos:] is unread.
	off int64
	buf []byte
	pos int
	// store holds buf's capacity between refills.
	store []byte
	// window is the next refill's size. A seek past the buffer sets it
	// to sectionBufferAfterSkip, enough for the next header and the
	// first bytes of its file (the 8 KiB the secret scanner sniffs),
	// rather than a full buffer of content that is likely skipped too;
	// each refill in sequence doubles it up to the whole buffer, so that
	// a run of small files costs few reads.
	window int
	// closer releases what the section reads from, if it owns anything.
	closer io.Closer
}

// sectionBufferSize is one refill; a skip that lands inside the buffer
// costs nothing, a longer one drops it.
const sectionBufferSize = 64 << 10

// sectionBufferAfterSkip is the first refill after a long skip: with
// full refills, a layer of 50 KB files was read whole although tar
// skipped most of each file.
const sectionBufferAfterSkip = 16 << 10

func newSectionBuffer(sr *io.SectionReader) *sectionBuffer {
	return &sectionBuffer{sr: sr, store: make([]byte, sectionBufferSize), window: sectionBufferSize}
}

func (b *sectionBuffer) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if b.pos == len(b.buf) {
		at := b.off + int64(len(b.buf))
		if len(p) >= len(b.store) {
			// A large read goes straight to the caller's slice.
			n, err := b.sr.ReadAt(p, at)
			b.off, b.buf, b.pos = at+int64(n), b.buf[:0], 0
			if n > 0 && err == io.EOF {
				err = nil
			}
			return n, err
		}
		fill := b.store[:b.window]
		b.window = min(2*b.window, len(b.store))
		n, err := b.sr.ReadAt(fill, at)
		b.off, b.buf, b.pos = at, b.store[:n], 0
		if n == 0 {
			if err == nil {
				err = io.ErrNoProgress
			}
			return 0, err
		}
	}
	n := copy(p, b.buf[b.pos:])
	b.pos += n
	return n, nil
}

// Seek supports what archive/tar asks for: a move relative to the
// current position. A target past the end of the section is a truncated
// layer, reported as tar would report it had it read that far.
func (b *sectionBuffer) Seek(offset int64, whence int) (int64, error) {
	if whence != io.SeekCurrent {
		return 0, errors.New("sectionBuffer: only relative seeks")
	}
	cur := b.off + int64(b.pos)
	target := cur + offset
	switch {
	case target < 0 || offset < 0 && target < b.off:
		return cur, fmt.Errorf("seek to %d: before the buffered part of the layer", target)
	case target > b.sr.Size():
		return cur, io.ErrUnexpectedEOF
	case target <= b.off+int64(len(b.buf)):
		b.pos = int(target - b.off)
	default:
		b.off, b.buf, b.pos = target, b.buf[:0], 0
		b.window = sectionBufferAfterSkip
	}
	return target, nil
}

// Close releases the file of a blob opened for this read; an archive's
// file belongs to its store and stays open.
func (b *sectionBuffer) Close() error {
	if b.closer == nil {
		return nil
	}
	return b.closer.Close()
}

// The first bytes of a gzip stream and of a zstd frame.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// plainSection is a blob served by offset, when it is a plain tar: a
// gzip or zstd blob (whatever its media type says) is not, and neither
// is an archive that is itself compressed.
func plainSection(store blobStore, name string) (*sectionBuffer, bool) {
	sr, closer, ok := store.section(name)
	if !ok {
		return nil, false
	}
	var magic [4]byte
	n, _ := sr.ReadAt(magic[:], 0)
	if bytes.HasPrefix(magic[:n], gzipMagic) || bytes.Equal(magic[:n], zstdMagic) {
		if closer != nil {
			closer.Close()
		}
		return nil, false
	}
	b := newSectionBuffer(sr)
	b.closer = closer
	return b, true
}

package imageread

import (
	"fmt"
	"io"
	"sync"
)

// raChunk and raChunks size a layer's read-ahead: 256 KiB in flight.
const (
	raChunk  = 64 << 10
	raChunks = 4
)

// readAhead reads a layer's uncompressed stream in a goroutine of its
// own, a few chunks ahead of the tar reader. Inflating a gzip layer and
// parsing its entries (and scanning their content) then overlap on two
// cores instead of taking turns: an image of one layer of 200,000 small
// files was bound by the two in series. Every byte is copied once more,
// which costs far less than either side.
type readAhead struct {
	chunks chan raChunkOf
	free   chan []byte
	stop   chan struct{}
	exited chan struct{}
	once   sync.Once

	buf []byte // the chunk being read, returned to free when used up
	cur []byte // its unread part
	err error  // the stream's end or failure, after the last chunk
}

type raChunkOf struct {
	b   []byte
	err error
}

// newReadAhead starts reading r; Close stops the goroutine and waits for
// it, so that r is no longer in use when Close returns.
func newReadAhead(r io.Reader) *readAhead {
	ra := &readAhead{
		chunks: make(chan raChunkOf, raChunks),
		free:   make(chan []byte, raChunks),
		stop:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for i := 0; i < raChunks; i++ {
		ra.free <- make([]byte, raChunk)
	}
	go ra.fill(r)
	return ra
}

func (ra *readAhead) fill(r io.Reader) {
	defer close(ra.exited)
	defer func() {
		// A decompressor must not take the process down on a hostile
		// layer (readLayer recovers on its own goroutine, not this one).
		if v := recover(); v != nil {
			ra.send(raChunkOf{err: fmt.Errorf("corrupt: %v", v)})
		}
	}()
	for {
		var b []byte
		select {
		case b = <-ra.free:
		case <-ra.stop:
			return
		}
		n, err := io.ReadFull(r, b)
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		if !ra.send(raChunkOf{b: b[:n], err: err}) || err != nil {
			return
		}
	}
}

func (ra *readAhead) send(c raChunkOf) bool {
	select {
	case ra.chunks <- c:
		return true
	case <-ra.stop:
		return false
	}
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)]
			ra.buf = nil
		}
		if ra.err != nil {
			return 0, ra.err
		}
		c := <-ra.chunks
		ra.buf, ra.cur, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops reading ahead and waits for the goroutine to leave r.
func (ra *readAhead) Close() {
	ra.once.Do(func() { close(ra.stop) })
	<-ra.exited
}

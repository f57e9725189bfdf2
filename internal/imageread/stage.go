package imageread

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"runtime"
)

// Sizes of a layer's content stage: files of up to stageMaxFile bytes
// are handed over, in up to stageBuffers buffers (2 MiB in flight at
// most).
const (
	stageMaxFile = 64 << 10
	stageBuffers = 32
)

// contentStage runs a layer's content scanners in a goroutine of its own,
// so that a layer is read by three goroutines: one inflates it
// (readAhead), one parses its entries and builds the entry list
// (scanLayer), and this one scans the content of the small files the
// scanners want. With the scanners on the entry goroutine, an image of
// one layer of 200,000 small files kept that goroutine busy for 2.2 s
// while the inflating one idled for 0.6 s of it.
//
// The stage appends to the layer's Secrets, Records and Warnings in the
// order the entries came, as readContent did in line: a file too large
// to hand over, or one that is also captured, waits for the stage to
// empty (drain) and is then scanned in line, and a warning of the entry
// goroutine is queued like a file. The result is the same as a pass on
// one goroutine, down to the order of its lists.
type contentStage struct {
	idx  int
	res  *layerResult
	jobs chan stageJob
	free chan []byte
	done chan struct{}
	// hdr and data are what the scanners read, one of each for the
	// stage rather than an allocation of each per file.
	hdr  tar.Header
	data bytes.Reader
}

// stageJob is one file to scan (data, with the scanners of the layer's
// list that want it as a bit set), one warning, or a barrier to close.
type stageJob struct {
	h       tar.Header
	wanted  uint64
	data    []byte
	warning string
	barrier chan struct{}
}

// newContentStage starts a layer's stage, or returns nil when it would
// not pay: no scanner, more scanners than the bit set holds, or one core.
func newContentStage(idx int, scanners []fileScanner, res *layerResult) *contentStage {
	if len(scanners) == 0 || len(scanners) > 64 || runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	st := &contentStage{
		idx:  idx,
		res:  res,
		jobs: make(chan stageJob, 2*stageBuffers),
		free: make(chan []byte, stageBuffers),
		done: make(chan struct{}),
	}
	for range stageBuffers {
		st.free <- nil
	}
	go st.run(scanners)
	return st
}

func (st *contentStage) run(scanners []fileScanner) {
	defer close(st.done)
	for j := range st.jobs {
		switch {
		case j.barrier != nil:
			close(j.barrier)
		case j.warning != "":
			st.res.Warnings = append(st.res.Warnings, j.warning)
		default:
			for i := range scanners {
				if j.wanted&(1<<i) == 0 {
					continue
				}
				d := j.data
				if int64(len(d)) > scanners[i].limit {
					d = d[:scanners[i].limit]
				}
				// Reading memory cannot fail, so runScanner has no layer
				// error to return here.
				st.hdr = j.h
				st.data.Reset(d)
				_ = runScanner(st.idx, &st.hdr, &scanners[i], &st.data, st.res)
			}
			st.free <- j.data[:0]
		}
	}
}

// scan reads n bytes of the current file from tr and queues them for the
// scanners in wanted. It waits for a free buffer, which bounds the
// content in flight.
func (st *contentStage) scan(h *tar.Header, wanted uint64, tr io.Reader, n int) error {
	buf := <-st.free
	if cap(buf) < n {
		buf = make([]byte, n, max(n, 4<<10))
	}
	buf = buf[:n]
	if _, err := io.ReadFull(tr, buf); err != nil {
		st.free <- buf[:0]
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return readErr(err)
	}
	st.jobs <- stageJob{h: *h, wanted: wanted, data: buf}
	return nil
}

// warn queues a warning of the entry goroutine in its place among the
// stage's.
func (st *contentStage) warn(format string, args ...any) {
	st.jobs <- stageJob{warning: fmt.Sprintf(format, args...)}
}

// drain waits until the stage has finished every job queued so far; the
// entry goroutine may then append to the layer's lists itself.
func (st *contentStage) drain() {
	b := make(chan struct{})
	st.jobs <- stageJob{barrier: b}
	<-b
}

// close stops the stage once it has finished its jobs, and waits for it.
func (st *contentStage) close() {
	close(st.jobs)
	<-st.done
}

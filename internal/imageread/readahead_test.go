package imageread

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"testing"
	"testing/iotest"
)

// TestReadAhead: what the read-ahead hands on is the stream, byte for
// byte, whatever the sizes of the reads on either side; a failure of the
// source arrives after the bytes before it; a panic of the source is an
// error, not a crash; Close stops the goroutine early.
func TestReadAhead(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, raChunk - 1, raChunk, raChunk + 1, 5*raChunk + 123, 3 << 20} {
		src := make([]byte, n)
		rng.Read(src)
		for _, wrap := range []func(io.Reader) io.Reader{
			func(r io.Reader) io.Reader { return r },
			iotest.OneByteReader,
			iotest.HalfReader,
		} {
			ra := newReadAhead(wrap(bytes.NewReader(src)))
			got, err := io.ReadAll(iotest.HalfReader(ra))
			ra.Close()
			if err != nil || !bytes.Equal(got, src) {
				t.Fatalf("%d bytes: got %d bytes, err %v", n, len(got), err)
			}
		}
	}

	boom := errors.New("boom")
	src := bytes.Repeat([]byte("x"), 3*raChunk+7)
	ra := newReadAhead(io.MultiReader(bytes.NewReader(src), iotest.ErrReader(boom)))
	got, err := io.ReadAll(ra)
	ra.Close()
	if !errors.Is(err, boom) || !bytes.Equal(got, src) {
		t.Errorf("failing source: %d bytes, err %v", len(got), err)
	}
	if _, err := ra.Read(make([]byte, 8)); !errors.Is(err, boom) {
		t.Errorf("read after the failure: %v", err)
	}

	ra = newReadAhead(panicReader{})
	if _, err := io.ReadAll(ra); err == nil {
		t.Error("a panicking source gave no error")
	}
	ra.Close()

	// An endless source: Close returns once the goroutine has left it.
	ra = newReadAhead(zeros{})
	if _, err := io.ReadFull(ra, make([]byte, raChunk/2)); err != nil {
		t.Fatal(err)
	}
	ra.Close()
	ra.Close()
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("hostile layer") }

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

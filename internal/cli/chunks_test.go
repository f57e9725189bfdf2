package cli

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestChunks: what is written to a chunks comes back byte for byte, in
// one slice or written out in order, across chunk boundaries (pieces of
// every size, from empty to several chunks at once).
func TestChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, total := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 17} {
		var c chunks
		var want bytes.Buffer
		for want.Len() < total {
			n := min(total-want.Len(), rng.IntN(2*chunkSize/3+1))
			if rng.IntN(8) == 0 {
				n = 0
			}
			p := make([]byte, n)
			for i := range p {
				p[i] = byte(rng.Uint32())
			}
			if k, err := c.Write(p); k != n || err != nil {
				t.Fatalf("Write = %d, %v; want %d, nil", k, err, n)
			}
			want.Write(p)
		}
		if !bytes.Equal(c.bytes(), want.Bytes()) {
			t.Errorf("%d bytes: bytes() differs", total)
		}
		var got bytes.Buffer
		if err := c.writeTo(&got); err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d bytes: writeTo differs (err %v)", total, err)
		}
		for _, b := range c.list {
			if len(b) > chunkSize {
				t.Errorf("a chunk of %d bytes", len(b))
			}
		}
	}
}

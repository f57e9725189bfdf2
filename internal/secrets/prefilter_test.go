package secrets

import (
	"encoding/binary"
	"reflect"
	"sort"
	"testing"
)

// findAnchorsReference is findAnchors as first written, one four-byte
// load per offset: the simplest form, which the faster one must equal.
func findAnchorsReference(data []byte) []anchorHit {
	var hits []anchorHit
	t := table
	n := len(data)
	for i := 0; i+4 <= n; i++ {
		k := binary.LittleEndian.Uint32(data[i:]) | foldMask
		h := hash4(k)
		if t.bits[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		for _, a := range t.byKey[k] {
			if i+len(a.text) > n {
				continue
			}
			s := data[i : i+len(a.text)]
			if a.fold && equalFold(s, a.text) || !a.fold && string(s) == string(a.text) {
				hits = append(hits, anchorHit{pos: i, det: a.det, n: len(a.text)})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].det < hits[j].det })
	return hits
}

// FuzzFindAnchors checks findAnchors against findAnchorsReference.
func FuzzFindAnchors(f *testing.F) {
	for _, s := range []string{"", "AKIA", "xAKIAIOSFODNN7EXAMPLE", "password=hunter2 token: x", "ghp_", "abcdefgAKIA", "PaSsWoRd", "-----BEGIN RSA PRIVATE KEY-----", "sk-ant-xx api_key secret"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, want := findAnchors(data), findAnchorsReference(data)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("findAnchors(%q) = %v, want %v", data, got, want)
		}
	})
}

// TestFindAnchorsEveryOffset places each anchor at every offset of a
// short buffer, so that each of the five windows of an eight-byte load
// and the tail loop find it, in either case where it folds.
func TestFindAnchorsEveryOffset(t *testing.T) {
	n := 0
	for _, d := range detectors {
		for _, a := range d.anchors {
			for off := 0; off < 12; off++ {
				for pad := 0; pad < 6; pad++ {
					data := make([]byte, off+len(a)+pad)
					for i := range data {
						data[i] = '.'
					}
					copy(data[off:], a)
					got, want := findAnchors(data), findAnchorsReference(data)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%q at %d: findAnchors = %v, want %v", a, off, got, want)
					}
					found := false
					for _, h := range got {
						found = found || h.pos == off && h.n == len(a)
					}
					if !found {
						t.Fatalf("%q at %d in %q: not found (%v)", a, off, data, got)
					}
					n++
				}
			}
		}
	}
	t.Logf("%d placements", n)
}

// BenchmarkFindAnchors runs the prefilter alone over 20 MB of the Go
// source tree.
func BenchmarkFindAnchors(b *testing.B) {
	files := realText(20 << 20)
	total := 0
	for _, f := range files {
		total += len(f)
	}
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, f := range files {
			findAnchors(f)
		}
	}
}

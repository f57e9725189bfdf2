package secrets

import (
	"encoding/binary"
	"sort"
)

// The prefilter finds every anchor of every detector in one pass over the
// data. At each offset it folds the next four bytes to lower case (OR
// 0x20, exact for ASCII letters and harmless for a filter), hashes them
// into a 64 Ki-bit set built from the anchors' first four bytes, and only
// on a hit compares the candidate anchors. Searching each of some fifty
// anchors with bytes.Index instead costs fifty passes over the data, and
// common first letters (t, s, p) defeat IndexByte's vector loop.

// anchorRef is one anchor: its bytes, whether it matches in any ASCII
// case, and the detector it belongs to.
type anchorRef struct {
	text []byte
	fold bool
	det  int
}

type prefilterTable struct {
	bits  [1 << 16 / 64]uint64
	byKey map[uint32][]anchorRef
}

const foldMask = 0x20202020

func hash4(k uint32) uint32 { return (k * 0x9E3779B1) >> 16 }

var table = buildTable()

func buildTable() *prefilterTable {
	t := &prefilterTable{byKey: map[uint32][]anchorRef{}}
	for di, d := range detectors {
		for _, a := range d.anchors {
			if len(a) < 4 {
				panic("secrets: anchor shorter than four bytes: " + string(a))
			}
			k := binary.LittleEndian.Uint32(a) | foldMask
			h := hash4(k)
			t.bits[h>>6] |= 1 << (h & 63)
			t.byKey[k] = append(t.byKey[k], anchorRef{text: a, fold: d.fold, det: di})
		}
	}
	return t
}

// anchorHit is one anchor occurrence.
type anchorHit struct {
	pos, det, n int
}

func equalFold(a, b []byte) bool {
	for i := range a {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// findAnchors returns the anchor occurrences in data ordered by detector
// priority, then offset. It loads eight bytes at a time and tests the
// five four-byte windows they hold, which reads each byte once where a
// load per offset read it four times: this loop is where a secret scan
// of an image spends most of its time.
func findAnchors(data []byte) []anchorHit {
	var hits []anchorHit
	t := table
	n := len(data)
	i := 0
	for ; i+8 <= n; i += 5 {
		w := binary.LittleEndian.Uint64(data[i:]) | foldMask<<32 | foldMask
		if h := hash4(uint32(w)); t.bits[h>>6]&(1<<(h&63)) != 0 {
			hits = t.matchAt(data, i, uint32(w), hits)
		}
		if h := hash4(uint32(w >> 8)); t.bits[h>>6]&(1<<(h&63)) != 0 {
			hits = t.matchAt(data, i+1, uint32(w>>8), hits)
		}
		if h := hash4(uint32(w >> 16)); t.bits[h>>6]&(1<<(h&63)) != 0 {
			hits = t.matchAt(data, i+2, uint32(w>>16), hits)
		}
		if h := hash4(uint32(w >> 24)); t.bits[h>>6]&(1<<(h&63)) != 0 {
			hits = t.matchAt(data, i+3, uint32(w>>24), hits)
		}
		if h := hash4(uint32(w >> 32)); t.bits[h>>6]&(1<<(h&63)) != 0 {
			hits = t.matchAt(data, i+4, uint32(w>>32), hits)
		}
	}
	for ; i+4 <= n; i++ {
		k := binary.LittleEndian.Uint32(data[i:]) | foldMask
		if h := hash4(k); t.bits[h>>6]&(1<<(h&63)) != 0 {
			hits = t.matchAt(data, i, k, hits)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].det < hits[j].det })
	return hits
}

// matchAt appends the anchors that start at data[i:] among those whose
// folded first four bytes are k.
func (t *prefilterTable) matchAt(data []byte, i int, k uint32, hits []anchorHit) []anchorHit {
	for _, a := range t.byKey[k] {
		if i+len(a.text) > len(data) {
			continue
		}
		s := data[i : i+len(a.text)]
		if a.fold && equalFold(s, a.text) || !a.fold && string(s) == string(a.text) {
			hits = append(hits, anchorHit{pos: i, det: a.det, n: len(a.text)})
		}
	}
	return hits
}

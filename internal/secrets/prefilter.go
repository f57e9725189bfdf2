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
// priority, then offset.
func findAnchors(data []byte) []anchorHit {
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

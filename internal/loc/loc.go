// Package loc holds the source position types shared by every input model
// and by findings, so that models and the rule framework agree on what a
// location is without importing each other.
package loc

import "fmt"

// Range is a 1-based line and column span inside a file. A zero column means
// "the whole line"; a zero EndLine means "same as Line".
//
// Offset and EndOffset are the same span as byte offsets from the start of
// the file as read ([Offset, EndOffset)), filled by the engine once it has
// the source; EndOffset is 0 when they are not known. Edits that repair a
// finding are expressed in these offsets.
type Range struct {
	Line      int `json:"startLine"`
	Col       int `json:"startColumn,omitempty"`
	EndLine   int `json:"endLine,omitempty"`
	EndCol    int `json:"endColumn,omitempty"`
	Offset    int `json:"-"`
	EndOffset int `json:"-"`
}

// Line returns a range covering a whole line.
func Line(n int) Range { return Range{Line: n} }

// Normalized fills EndLine so that consumers need not special-case zero.
func (r Range) Normalized() Range {
	if r.EndLine < r.Line {
		r.EndLine = r.Line
	}
	return r
}

// String renders line:col, or line alone when the column is unknown.
func (r Range) String() string {
	if r.Col > 0 {
		return fmt.Sprintf("%d:%d", r.Line, r.Col)
	}
	return fmt.Sprintf("%d", r.Line)
}

// Index maps the lines and columns of one source to byte offsets. Lines
// end at "\n"; a "\r" before it belongs to the line terminator, as in the
// models, whose lines drop it.
type Index struct {
	src    []byte
	starts []int
}

// NewIndex indexes src; it keeps a reference to it.
func NewIndex(src []byte) *Index {
	ix := &Index{src: src, starts: []int{0}}
	for i, b := range src {
		if b == '\n' {
			ix.starts = append(ix.starts, i+1)
		}
	}
	return ix
}

// lineBounds returns the offsets of the first byte of line n (1-based) and
// of its terminator.
func (ix *Index) lineBounds(n int) (start, end int, ok bool) {
	if n < 1 || n > len(ix.starts) {
		return 0, 0, false
	}
	start = ix.starts[n-1]
	end = len(ix.src)
	if n < len(ix.starts) {
		end = ix.starts[n] - 1
	}
	if end > start && ix.src[end-1] == '\r' {
		end--
	}
	if start > end {
		start = end
	}
	return start, end, true
}

// Offsets returns the byte span [start, end) a range covers: from its
// column (the line's start when zero) to its end column, exclusive (the
// end of its last line when zero). ok is false when the range is outside
// the source.
func (ix *Index) Offsets(r Range) (start, end int, ok bool) {
	r = r.Normalized()
	ls, le, ok := ix.lineBounds(r.Line)
	if !ok {
		return 0, 0, false
	}
	start = ls
	if r.Col > 0 {
		start = min(ls+r.Col-1, le)
	}
	es, ee, ok := ix.lineBounds(r.EndLine)
	if !ok {
		return 0, 0, false
	}
	end = ee
	if r.EndCol > 0 {
		end = min(es+r.EndCol-1, ee)
	}
	if end < start {
		end = start
	}
	return start, end, true
}

// Text returns the source bytes a range covers, as Offsets finds them.
func (ix *Index) Text(r Range) string {
	s, e, ok := ix.Offsets(r)
	if !ok {
		return ""
	}
	return string(ix.src[s:e])
}

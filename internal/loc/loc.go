// Package loc holds the source position types shared by every input model
// and by findings, so that models and the rule framework agree on what a
// location is without importing each other.
package loc

import "fmt"

// Range is a 1-based line and column span inside a file. A zero column means
// "the whole line"; a zero EndLine means "same as Line".
type Range struct {
	Line    int `json:"startLine"`
	Col     int `json:"startColumn,omitempty"`
	EndLine int `json:"endLine,omitempty"`
	EndCol  int `json:"endColumn,omitempty"`
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

package composeedit

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// text is a file's bytes with its line starts, for turning yaml.v3's
// 1-based line and (rune) column into byte offsets.
type text struct {
	data  []byte
	lines []int
}

func newText(data []byte) text {
	t := text{data: data, lines: []int{0}}
	for i, b := range data {
		if b == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// lineCount is the number of lines (a final line without a newline
// counts).
func (t text) lineCount() int {
	if len(t.data) > 0 && t.data[len(t.data)-1] == '\n' {
		return len(t.lines) - 1
	}
	return len(t.lines)
}

// line returns line n (1-based) without its line ending.
func (t text) line(n int) string {
	if n < 1 || n > len(t.lines) {
		return ""
	}
	start := t.lines[n-1]
	end := len(t.data)
	if n < len(t.lines) {
		end = t.lines[n] - 1
	}
	return strings.TrimRight(string(t.data[start:end]), "\r")
}

// lineEnd is the offset just past line n's newline (the start of the next
// line), or the end of the data for the last line.
func (t text) lineEnd(n int) int {
	if n < len(t.lines) {
		return t.lines[n]
	}
	return len(t.data)
}

// offset turns a yaml.v3 position into a byte offset; -1 when it is not in
// the data.
func (t text) offset(line, col int) int {
	if line < 1 || line > len(t.lines) || col < 1 {
		return -1
	}
	o := t.lines[line-1]
	for c := 1; c < col; c++ {
		if o >= len(t.data) || t.data[o] == '\n' {
			return -1
		}
		_, w := utf8.DecodeRune(t.data[o:])
		o += w
	}
	return o
}

// nodeOffset is where a node's text starts.
func (t text) nodeOffset(n *yaml.Node) int { return t.offset(n.Line, n.Column) }

// indentOf counts the leading spaces of a line.
func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }

// isBlankOrComment reports whether a line holds nothing but spaces and
// perhaps a comment.
func isBlankOrComment(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.HasPrefix(s, "#")
}

// blockEnd finds the last line of a block collection whose entries stand
// at indent (a mapping's keys, or a sequence's dashes) and that starts on
// line first: every following line that is more indented, or as indented
// and (for a sequence) starts with a dash, belongs to it; blank and
// comment lines are skipped, so that a comment block after the collection
// stays after whatever is inserted at its end.
func (t text) blockEnd(first, indent int, seq bool) int {
	last := first
	for n := first + 1; n <= t.lineCount(); n++ {
		s := t.line(n)
		if isBlankOrComment(s) {
			continue
		}
		in := indentOf(s)
		if in < indent {
			break
		}
		if in == indent {
			rest := s[in:]
			if seq && !(rest == "-" || strings.HasPrefix(rest, "- ")) {
				break
			}
			if !seq && (strings.HasPrefix(rest, "---") || strings.HasPrefix(rest, "...")) {
				break
			}
		}
		last = n
	}
	return last
}

// flowEnd returns the offset of the bracket closing the flow collection
// that opens at offset start ('{' or '['), skipping quoted scalars and
// comments; -1 when it does not close.
func (t text) flowEnd(start int) int {
	d := t.data
	if start < 0 || start >= len(d) || (d[start] != '{' && d[start] != '[') {
		return -1
	}
	depth := 0
	for i := start; i < len(d); i++ {
		switch c := d[i]; c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i
			}
		case '"':
			j := i + 1
			for j < len(d) && d[j] != '"' {
				if d[j] == '\\' {
					j++
				}
				j++
			}
			i = j
		case '\'':
			j := i + 1
			for j < len(d) {
				if d[j] == '\'' {
					if j+1 < len(d) && d[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			i = j
		case '#':
			if i > 0 && (d[i-1] == ' ' || d[i-1] == '\t' || d[i-1] == '\n') {
				if nl := bytes.IndexByte(d[i:], '\n'); nl >= 0 {
					i += nl
				} else {
					return -1
				}
			}
		}
	}
	return -1
}

// scalarEnd returns the offset just past a scalar's text starting at
// start: the closing quote of a quoted scalar, else the end of a plain
// scalar on its line (before a comment, and in a flow collection before
// `,`, `]` or `}`); -1 when it cannot tell.
func (t text) scalarEnd(start int, flow bool) int {
	d := t.data
	if start < 0 || start >= len(d) {
		return -1
	}
	switch d[start] {
	case '"':
		for j := start + 1; j < len(d); j++ {
			switch d[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return -1
	case '\'':
		for j := start + 1; j < len(d); j++ {
			if d[j] == '\'' {
				if j+1 < len(d) && d[j+1] == '\'' {
					j++
					continue
				}
				return j + 1
			}
		}
		return -1
	case '|', '>', '&', '*', '!':
		return -1
	}
	end := start
	for j := start; j < len(d); j++ {
		c := d[j]
		if c == '\n' || c == '\r' || c == '#' && j > start && (d[j-1] == ' ' || d[j-1] == '\t') {
			break
		}
		if flow && (c == ',' || c == ']' || c == '}') {
			break
		}
		end = j + 1
	}
	for end > start && (d[end-1] == ' ' || d[end-1] == '\t') {
		end--
	}
	return end
}

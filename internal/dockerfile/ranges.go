package dockerfile

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// The source ranges below are the one place each concept is located, so
// that every rule reporting on the same thing points at the same text:
//
//   - the whole instruction: Instruction.Range;
//   - its keyword (the default place for a finding): Instruction.Start;
//   - a word or key of its arguments: Instruction.Locate, LocateWord,
//     LocateKey, and a `--name=value` flag as written: FlagRange;
//   - the image of a FROM: Stage.BaseRange;
//   - a command of a RUN: CmdRange (its word), SpanTo (from the RUN's
//     keyword to it), ArgRange (one argument), AssignRange (a VAR=value
//     prefix) and NodeRange or Tree.Range (any shell syntax node);
//   - a comment line: File.CommentRange.
//
// Inside `sh -c` strings and heredoc bodies only lines are exact, so the
// shell ranges there leave the columns at zero (the whole line).

// FlagRange locates a `--name=value` flag of an instruction as written
// (name compared case-insensitively); it falls back to the instruction's
// keyword.
func (in *Instruction) FlagRange(name string) loc.Range {
	for _, f := range in.Flags {
		k, _, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if strings.EqualFold(k, name) {
			if r := in.Locate(f); r.EndCol != 0 {
				return r
			}
		}
	}
	return in.Start()
}

// BaseRange locates the image reference of a FROM: the first whole word
// equal to the reference as written, so not a piece of a --platform flag
// or of the stage name. It falls back to the FROM keyword.
func (s *Stage) BaseRange() loc.Range {
	if s.BaseName == "" {
		return s.From.Start()
	}
	return s.From.LocateFunc(s.BaseName, func(line string, b, e int) bool {
		return (b == 0 || isBlank(line[b-1])) && (e == len(line) || isBlank(line[e]))
	})
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// CmdRange is where a command of the RUN in sits: its word (the program as
// written) when the shell syntax gives its column and no wrapper such as
// sudo precedes it; else the line it starts on from its first word, or for
// the exec form, whose words have no shell positions, the RUN keyword.
func (in *Instruction) CmdRange(c *Cmd) loc.Range {
	r := c.Range
	if r.Line == 0 {
		return in.Start()
	}
	if r.Col > 0 && c.Stmt != nil && c.Path != "" && len(c.Wrappers) == 0 {
		r.EndCol = c.wordEnd()
	}
	return r
}

// wordEnd is the column after the command's program name counted from
// where the command starts: exact without wrappers, an estimate behind one
// (`sudo apt-get` starts at sudo), 0 when the column is unknown.
func (c *Cmd) wordEnd() int {
	if c.Range.Col == 0 {
		return 0
	}
	return c.Range.Col + len(c.Path)
}

// SpanTo runs from the RUN's keyword to the command c: to the end of its
// word (see wordEnd) when c starts on the RUN's first line, else over the
// lines down to c's. Peers and `docker build --check` report at the RUN's
// first line; the span keeps that start and still shows which command is
// meant.
func (in *Instruction) SpanTo(c *Cmd) loc.Range {
	r := in.Start()
	if c == nil || c.Range.Line == 0 {
		return r
	}
	switch {
	case c.Range.Line > r.Line:
		r.EndLine, r.EndCol = c.Range.Line, c.wordEnd()
	case c.Range.Line == r.Line && c.Range.Col > 0:
		r.EndCol = c.wordEnd()
	}
	return r
}

// Call returns the shell syntax node of a command, nil for the exec form.
func (c *Cmd) Call() *syntax.CallExpr {
	if c == nil || c.Stmt == nil {
		return nil
	}
	x, _ := c.Stmt.Cmd.(*syntax.CallExpr)
	return x
}

// treeOffset returns the number to add to a line of the syntax tree that
// holds c to get the Dockerfile line. A command is anchored at its first
// word (or its statement when it has none), which gives the offset back
// also for copies of a command a rule made.
func (c *Cmd) treeOffset() (int, bool) {
	x := c.Call()
	if x == nil || c.Range.Line == 0 {
		return 0, false
	}
	anchor := c.Stmt.Pos()
	if len(x.Args) > 0 {
		anchor = x.Args[0].Pos()
	}
	if !anchor.IsValid() {
		return 0, false
	}
	return c.Range.Line - int(anchor.Line()), true
}

// NodeRange converts a node of the syntax tree holding the command c into
// a file range; without a position it falls back to CmdRange.
func (in *Instruction) NodeRange(c *Cmd, n syntax.Node) loc.Range {
	off, ok := c.treeOffset()
	if !ok || n == nil || !n.Pos().IsValid() {
		return in.CmdRange(c)
	}
	return nodeRange(n, off, c.Nested)
}

// ArgRange returns the range of c.Args[i], falling back to CmdRange.
func (in *Instruction) ArgRange(c *Cmd, i int) loc.Range {
	x := c.Call()
	if x == nil || i < 0 || i >= len(c.Args) {
		return in.CmdRange(c)
	}
	j := len(x.Args) - len(c.Args) + i
	if j < 0 || j >= len(x.Args) {
		return in.CmdRange(c)
	}
	return in.NodeRange(c, x.Args[j])
}

// AssignRange returns the range of the VAR=value prefix of c that sets
// name, falling back to CmdRange.
func (in *Instruction) AssignRange(c *Cmd, name string) loc.Range {
	if x := c.Call(); x != nil {
		for _, a := range x.Assigns {
			if a.Name != nil && a.Name.Value == name {
				return in.NodeRange(c, a)
			}
		}
	}
	return in.CmdRange(c)
}

// Range converts a node of the tree into a file range.
func (t Tree) Range(n syntax.Node) loc.Range {
	return nodeRange(n, t.Offset, t.Nested)
}

// nodeRange is a node's range in a tree whose lines are off from the
// file's; nested trees keep only the line.
func nodeRange(n syntax.Node, off int, nested bool) loc.Range {
	p := n.Pos()
	l := int(p.Line()) + off
	r := loc.Range{Line: l, EndLine: l}
	if !nested {
		r.Col = int(p.Col())
		if e := n.End(); e.IsValid() && e.Line() == p.Line() {
			r.EndCol = int(e.Col())
		}
	}
	return r
}

// CommentRange spans the comment on a line from its '#' to the end of the
// line, or the whole line when it holds no '#'.
func (f *File) CommentRange(line int) loc.Range {
	r := loc.Line(line)
	if line >= 1 && line <= len(f.Lines) {
		l := f.Lines[line-1]
		if i := strings.Index(l, "#"); i >= 0 {
			r = loc.Range{Line: line, Col: i + 1, EndLine: line, EndCol: len(l) + 1}
		}
	}
	return r
}

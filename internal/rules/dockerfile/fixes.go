package dockerfile

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// The helpers below build the edits of the automatic fixes. Every edit of
// a RUN is placed from mvdan.cc/sh's positions of the words the model
// already parsed (Script.Commands and their syntax nodes), never by
// searching the text, and an edit is only made where those positions are
// exact: a command of the RUN's own script, not one inside a `sh -c`
// string or a heredoc body, whose columns are unknown. Where a rule's fix
// cannot be made safely, it says why with refusal.

// safeFix is a fix of level safe.
func safeFix(title string, edits ...rule.Edit) rule.Fix {
	return rule.Fix{Title: title, Level: rule.FixSafe, Edits: edits}
}

// refusal is a safe fix a rule did not make, with the reason.
func refusal(title, why string) rule.Fix {
	return rule.Fix{Title: title, Level: rule.FixSafe, Refused: why}
}

// suggestion is a fix shown to the user and never applied.
func suggestion(title string, edits ...rule.Edit) rule.Fix {
	return rule.Fix{Title: title, Level: rule.FixSuggest, Edits: edits}
}

// insertAt is an edit inserting text at a 1-based line and column.
func insertAt(line, col int, text string) rule.Edit {
	return rule.Edit{Range: loc.Range{Line: line, Col: col, EndLine: line, EndCol: col}, New: text}
}

// exactCmd reports whether the words of c have exact positions in the
// file: a shell-form command of the RUN's own script.
func exactCmd(c *df.Cmd) bool {
	return c != nil && !c.Nested && c.Call() != nil && c.Range.Col > 0
}

// fixWhy explains why a command's words cannot be edited in place.
func fixWhy(in *df.Instruction, c *df.Cmd) string {
	switch {
	case in.Script != nil && in.Script.Exec:
		return "the RUN is in exec form; its words have no shell positions to edit"
	case c.Nested:
		return "the command is inside a `sh -c` string or a heredoc, whose text is not edited"
	case len(in.Node.Heredocs) > 0:
		return "the RUN has a heredoc"
	}
	return "the command's position is not exact"
}

// argEnd returns the line and column just after the argument c.Args[i] as
// the file holds it, checking that the text there is the word expected
// (quotes aside); ok is false when it is not exact.
func argEnd(in *df.Instruction, c *df.Cmd, i int, want string) (line, col int, ok bool) {
	if !exactCmd(c) || i < 0 || i >= len(c.Args) {
		return 0, 0, false
	}
	r := in.ArgRange(c, i)
	if r.EndCol == 0 || r.Col == 0 || r.EndLine != r.Line {
		return 0, 0, false
	}
	text, ok := lineText(in, r)
	if !ok || !strings.EqualFold(strings.Trim(text, `"'`), want) {
		return 0, 0, false
	}
	return r.Line, r.EndCol, true
}

// progRange returns the range of the program word of c (`apt` in
// `sudo apt install`), checked against its text.
func progRange(in *df.Instruction, c *df.Cmd) (loc.Range, bool) {
	x := c.Call()
	if !exactCmd(c) {
		return loc.Range{}, false
	}
	j := len(x.Args) - len(c.Args) - 1
	if j < 0 {
		return loc.Range{}, false
	}
	r := in.NodeRange(c, x.Args[j])
	if r.EndCol == 0 || r.EndLine != r.Line {
		return loc.Range{}, false
	}
	if text, ok := lineText(in, r); !ok || text != c.Path {
		return loc.Range{}, false
	}
	return r, true
}

// lineText returns the text of a one-line range of the instruction's file.
func lineText(in *df.Instruction, r loc.Range) (string, bool) {
	if in.File() == nil {
		return "", false
	}
	lines := in.File().Lines
	if r.Line < 1 || r.Line > len(lines) {
		return "", false
	}
	l := lines[r.Line-1]
	if r.Col < 1 || r.EndCol-1 > len(l) || r.EndCol < r.Col {
		return "", false
	}
	return l[r.Col-1 : r.EndCol-1], true
}

// stmtEnd returns the file line and column just after a top-level
// statement's command and redirections, before any `;` or `&` that ends
// it, so that text inserted there joins the statement.
func stmtEnd(in *df.Instruction, st *syntax.Stmt) (line, col int, ok bool) {
	end := st.Cmd.End()
	for _, r := range st.Redirs {
		if e := r.End(); e.After(end) {
			end = e
		}
	}
	if !end.IsValid() {
		return 0, 0, false
	}
	t := in.Script.Trees[0]
	return int(end.Line()) + t.Offset, int(end.Col()), true
}

// keywordCase writes a keyword in the case of the one it replaces: lower
// case for a lower-case keyword, upper case otherwise.
func keywordCase(asWritten, kw string) string {
	if asWritten == strings.ToLower(asWritten) {
		return strings.ToLower(kw)
	}
	return strings.ToUpper(kw)
}

package dockerfile

import (
	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// PipeRange locates the pipe operator (`|` or `|&`) through which the
// command c writes into the next command of its pipeline: the token a rule
// about that pipe points at, on its own line of a continuation. Inside
// `sh -c` strings and heredoc bodies only the line is exact. It falls back
// to CmdRange when c writes into no pipe or the tree does not hold it.
func (in *Instruction) PipeRange(c *Cmd) loc.Range {
	off, ok := c.treeOffset()
	if !ok || c.PipeNext == nil || in.Script == nil {
		return in.CmdRange(c)
	}
	var pipe *syntax.BinaryCmd
	for _, t := range in.Script.Trees {
		syntax.Walk(t.AST, func(n syntax.Node) bool {
			b, isBin := n.(*syntax.BinaryCmd)
			if isBin && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) &&
				(b.X == c.Stmt || (c.PipeNext.Stmt != nil && b.Y == c.PipeNext.Stmt)) {
				pipe = b
			}
			return pipe == nil
		})
		if pipe != nil {
			break
		}
	}
	if pipe == nil || !pipe.OpPos.IsValid() {
		return in.CmdRange(c)
	}
	l := int(pipe.OpPos.Line()) + off
	r := loc.Range{Line: l, EndLine: l}
	if !c.Nested {
		r.Col = int(pipe.OpPos.Col())
		r.EndCol = r.Col + len(pipe.Op.String())
	}
	return r
}

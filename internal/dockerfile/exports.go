package dockerfile

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Export is one variable a RUN sets with `export NAME=value` (or declare
// -x, readonly, local): the shell keeps it for every later command of the
// script, unlike a `NAME=value cmd` prefix, which Cmd.Assigns holds.
type Export struct {
	Name, Value string
	// Range is where the assignment is in the Dockerfile (line only inside
	// `sh -c` strings and heredoc bodies).
	Range loc.Range
}

// Exports returns the variables the script exports, in source order.
// Script.Commands does not hold these declarations: they run no program.
func (s *Script) Exports() []Export {
	if s == nil || !strings.Contains(s.Text, "export") && !strings.Contains(s.Text, "declare") {
		return nil
	}
	var out []Export
	for _, t := range s.Trees {
		syntax.Walk(t.AST, func(n syntax.Node) bool {
			d, ok := n.(*syntax.DeclClause)
			if !ok || d.Variant == nil || (d.Variant.Value != "export" && d.Variant.Value != "declare") {
				return true
			}
			for _, a := range d.Args {
				if a.Name == nil || a.Naked {
					continue
				}
				v := ""
				if a.Value != nil {
					v = WordText(a.Value)
				}
				out = append(out, Export{Name: a.Name.Value, Value: v, Range: t.Range(a)})
			}
			return true
		})
	}
	return out
}

// ExportedBefore returns the value the script exported for name before
// the command c starts, and whether it did.
func (s *Script) ExportedBefore(name string, c *Cmd) (string, bool) {
	v, ok := "", false
	for _, e := range s.Exports() {
		if e.Name != name || !before(e.Range, c.Range) {
			continue
		}
		v, ok = e.Value, true
	}
	return v, ok
}

// before reports whether range a starts before range b; ranges without
// columns compare by line.
func before(a, b loc.Range) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col == 0 || b.Col == 0 || a.Col < b.Col
}

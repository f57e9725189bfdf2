package dockerfile

import (
	"github.com/shipshape-sec/shipshape/internal/suggest"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// corWrappers are programs that run the rest of their arguments as a
// command. The model strips them for shell-form RUNs; exec-form RUNs keep
// them, so corCommands strips them again.
var corWrappers = map[string]bool{"sudo": true, "env": true, "nohup": true, "time": true, "exec": true, "nice": true, "command": true, "doas": true}

// corCommands returns the commands of a RUN with wrappers removed also in
// exec form, where argv[0] may even hold a command and its wrapper in one
// string (`["sudo yum", "install"]`, which cannot run but shows intent).
// The returned values are copies; the shared model is not modified.
func corCommands(in *df.Instruction) []*df.Cmd {
	if in.Script == nil {
		return nil
	}
	out := make([]*df.Cmd, 0, len(in.Script.Commands))
	for _, c := range in.Script.Commands {
		if !in.Script.Exec || c.Nested || c.Stmt != nil {
			out = append(out, c)
			continue
		}
		argv := append(strings.Fields(c.Path), c.Args...)
		for len(argv) > 0 && corWrappers[path.Base(argv[0])] {
			w := path.Base(argv[0])
			argv = argv[1:]
			for len(argv) > 0 && (strings.HasPrefix(argv[0], "-") || (w == "env" && strings.Contains(argv[0], "="))) {
				argv = argv[1:]
			}
		}
		if len(argv) == 0 {
			continue
		}
		nc := *c
		nc.Path, nc.Name, nc.Args = argv[0], path.Base(argv[0]), argv[1:]
		out = append(out, &nc)
	}
	return out
}

// corRunRange locates a finding about one command of a RUN. It starts at the
// instruction's first line, where peers and `docker build --check` report,
// and extends to the command itself when that sits on a continuation line.
func corRunRange(in *df.Instruction, c *df.Cmd) loc.Range {
	r := in.Start()
	if c == nil || c.Range.Line == 0 {
		return r
	}
	if c.Range.Line > r.Line {
		r.EndLine = c.Range.Line
		r.EndCol = 0
		if c.Range.Col > 0 {
			r.EndCol = c.Range.Col + len(c.Path)
		}
	} else if c.Range.Line == r.Line && c.Range.Col > 0 {
		r.EndCol = c.Range.Col + len(c.Path)
	}
	return r
}

// corSubshellStmts returns the statements that run inside a `( ... )`
// subshell of the RUN's top-level script.
func corSubshellStmts(s *df.Script) map[*syntax.Stmt]bool {
	out := map[*syntax.Stmt]bool{}
	if s == nil || s.AST == nil {
		return out
	}
	syntax.Walk(s.AST, func(n syntax.Node) bool {
		if sub, ok := n.(*syntax.Subshell); ok {
			syntax.Walk(sub, func(m syntax.Node) bool {
				if st, ok := m.(*syntax.Stmt); ok {
					out[st] = true
				}
				return true
			})
			return false
		}
		return true
	})
	return out
}

// corShellSet reports whether a SHELL instruction runs before in, in its
// stage or in the stages it is built FROM.
func corShellSet(in *df.Instruction) bool {
	st := in.Stage
	seen := map[*df.Stage]bool{}
	first := true
	for st != nil && !seen[st] {
		seen[st] = true
		for _, x := range st.Instructions {
			if first && x == in {
				break
			}
			if x.Keyword == "SHELL" && x.ParseErr == nil {
				return true
			}
		}
		first = false
		st = st.BaseStage
	}
	return false
}

// corConfigMatters reports whether the image configuration a stage ends with
// (CMD, ENTRYPOINT) can reach an image: it is the last stage, the target, or
// another stage is built FROM it.
func corConfigMatters(s *df.Stage, f *df.File) bool {
	if s.IsTarget() || (len(f.Stages) > 0 && f.Stages[len(f.Stages)-1] == s) {
		return true
	}
	for _, o := range f.Stages {
		if o.BaseStage == s {
			return true
		}
	}
	return false
}

// corHasFlagIn is HasFlag restricted to the arguments in [from, to).
func corHasFlagIn(c *df.Cmd, from, to int, flags ...string) bool {
	if from < 0 {
		from = 0
	}
	if to > len(c.Args) || to < 0 {
		to = len(c.Args)
	}
	if from >= to {
		return false
	}
	sub := *c
	sub.Args = c.Args[from:to]
	return sub.HasFlag(flags...)
}

// corSuggest returns the candidate closest to name when it is close enough
// to be a likely typo (case-insensitive match, or at most a quarter of the
// name's length in edits, at most two), like BuildKit's "did you mean" hints.
func corSuggest(name string, candidates []string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		if c == name {
			continue
		}
		if strings.EqualFold(c, name) {
			return c
		}
		d := suggest.Distance(name, c)
		if d*4 > len(name) || d > 2 {
			continue
		}
		if best == "" || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// corIsPOSIXStage reports whether shell rules apply to the instruction: a
// Linux stage whose RUN goes through a POSIX shell.
func corIsPOSIXStage(in *df.Instruction) bool {
	return in.Stage != nil && !in.Stage.Windows && df.IsPOSIXShell(in.Shell)
}

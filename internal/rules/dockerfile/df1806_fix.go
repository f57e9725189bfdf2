package dockerfile

import (
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// pipefailTitle names DF1806's fix.
const pipefailTitle = "start the RUN with `set -o pipefail &&`"

// pipefailFix starts the RUN's script with `set -o pipefail && `. It is
// made only when both hold:
//
//   - the shell running the RUN knows pipefail: bash, ash, zsh, ksh named
//     by SHELL, or the default /bin/sh of an image known to be Alpine
//     (BusyBox ash) or of the RPM family (bash). Debian's and Ubuntu's
//     /bin/sh is dash, which rejects `set -o pipefail`; an image of an
//     unknown kind may have either.
//   - every pipeline of the script is where its failure already ends the
//     RUN with an error: in the last statement (anywhere in its && chain),
//     or, once `set -e` is in force, as the last command of a statement.
//     Then pipefail changes nothing in a build that succeeds, and turns a
//     hidden failure into a failed build; it never makes the build take
//     another path (a pipe inside if, ||, !, a subshell or a command
//     substitution could, and is refused).
func pipefailFix(in *df.Instruction, c *df.Cmd) rule.Fix {
	s := in.Script
	switch {
	case c.Nested:
		return refusal(pipefailTitle, "the pipe is inside a `sh -c` string or a heredoc, whose text is not edited")
	case s.Exec || len(in.Node.Heredocs) > 0:
		return refusal(pipefailTitle, "the RUN is in exec form or has a heredoc")
	case s.AST == nil || len(s.AST.Stmts) == 0 || len(s.Trees) == 0:
		return refusal(pipefailTitle, "the RUN's script did not parse")
	}
	if why := pipefailShellWhy(in); why != "" {
		return refusal(pipefailTitle, why)
	}
	if why := pipefailPlacesWhy(in, s.AST.Stmts); why != "" {
		return refusal(pipefailTitle, why)
	}
	first := s.AST.Stmts[0].Pos()
	if !first.IsValid() {
		return refusal(pipefailTitle, "the start of the script is not known")
	}
	return safeFix(pipefailTitle, insertAt(int(first.Line())+s.Trees[0].Offset, int(first.Col()), "set -o pipefail && "))
}

// pipefailShells are the shells whose `set -o pipefail` works.
var pipefailShells = map[string]bool{"bash": true, "ash": true, "zsh": true, "ksh": true, "mksh": true}

// pipefailShellWhy says why the RUN's shell may not know pipefail, "" when
// it does.
func pipefailShellWhy(in *df.Instruction) string {
	if len(in.Shell) > 0 {
		name := path.Base(in.Shell[0])
		if pipefailShells[name] {
			return ""
		}
		if name != "sh" {
			return "the SHELL " + name + " is not known to support pipefail"
		}
	}
	switch imageFamily(in.Stage) {
	case famAlpine, famRPM:
		return ""
	case famDebian:
		return "the image's /bin/sh is dash, which has no pipefail; add SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] by hand, knowing that the RUNs after it then run under bash"
	}
	return "the base image's /bin/sh is not known to support pipefail"
}

// pipefail contexts: how a command's failure ends the RUN.
const (
	pfIgnored = iota // the failure may be ignored or change the path taken
	pfLast           // in the last statement: its status is the RUN's
	pfErrexit        // under set -e, as the last command of a statement
)

// pipefailPlacesWhy checks that every pipeline of the script sits where
// its failure already fails the RUN (see pipefailFix); it returns why not.
func pipefailPlacesWhy(in *df.Instruction, stmts []*syntax.Stmt) string {
	errexit := shellErrexit(in.Shell)
	for i, st := range stmts {
		mode := pfIgnored
		switch {
		case i == len(stmts)-1:
			mode = pfLast
		case errexit:
			mode = pfErrexit
		}
		if why := pipefailStmtWhy(st, mode); why != "" {
			return why
		}
		if x, ok := st.Cmd.(*syntax.CallExpr); ok && setsErrexit(x) {
			errexit = true
		}
	}
	return ""
}

func pipefailStmtWhy(st *syntax.Stmt, mode int) string {
	if st.Negated || st.Background || st.Coprocess {
		if hasPipe(st) {
			return "a pipeline is negated or runs in the background"
		}
		return ""
	}
	switch x := st.Cmd.(type) {
	case *syntax.BinaryCmd:
		switch x.Op {
		case syntax.AndStmt:
			left := mode
			if mode == pfErrexit {
				// set -e ignores a failure left of &&.
				left = pfIgnored
			}
			if why := pipefailStmtWhy(x.X, left); why != "" {
				return why
			}
			return pipefailStmtWhy(x.Y, mode)
		case syntax.Pipe, syntax.PipeAll:
			if mode == pfIgnored {
				return "a pipeline's failure would not end the RUN but change what it does next (it is followed by ; without set -e, or left of && under set -e)"
			}
			for _, side := range []*syntax.Stmt{x.X, x.Y} {
				if _, pipe := side.Cmd.(*syntax.BinaryCmd); pipe {
					if why := pipefailStmtWhy(side, mode); why != "" {
						return why
					}
					continue
				}
				if hasPipe(side) || side.Negated {
					return "a pipeline holds a compound command or a command substitution with a pipe"
				}
			}
			return ""
		}
	}
	if hasPipe(st) {
		return "a pipeline sits in an if, a loop, a subshell, after || or in a command substitution, where pipefail could change the path the script takes"
	}
	return ""
}

// hasPipe reports whether a node holds a pipeline anywhere inside.
func hasPipe(n syntax.Node) bool {
	found := false
	syntax.Walk(n, func(n syntax.Node) bool {
		if b, ok := n.(*syntax.BinaryCmd); ok && (b.Op == syntax.Pipe || b.Op == syntax.PipeAll) {
			found = true
		}
		return !found
	})
	return found
}

// setsErrexit reports whether a call is `set -e` (alone or among other
// letters, `set -eux`) or `set -o errexit`.
func setsErrexit(x *syntax.CallExpr) bool {
	words := df.Words(x)
	if len(words) == 0 || words[0] != "set" {
		return false
	}
	for i, w := range words[1:] {
		if strings.HasPrefix(w, "-") && !strings.HasPrefix(w, "--") && strings.Contains(w[1:], "e") && !strings.Contains(w, "o") {
			return true
		}
		if w == "errexit" && i > 0 && strings.HasSuffix(words[i], "o") {
			return true
		}
		if strings.HasPrefix(w, "-") && strings.Contains(w, "e") && strings.HasSuffix(w, "o") {
			// -eo pipefail: e among the letters before o.
			return true
		}
	}
	return false
}

// shellErrexit reports whether a SHELL value runs with -e.
func shellErrexit(sh []string) bool {
	for _, a := range sh[min(1, len(sh)):] {
		if a == "-c" {
			break
		}
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "e") {
			return true
		}
	}
	return false
}

// pipefailFixes are DF1806's fixes for one RUN: the safe `set -o
// pipefail &&` (or why not), and on Debian and Ubuntu, whose dash has no
// pipefail, a review fix that runs the stage's RUNs from here on under
// bash -o pipefail, offered once per stage.
func pipefailFixes(in *df.Instruction, c *df.Cmd, offered map[*df.Stage]bool) []rule.Fix {
	fixes := []rule.Fix{pipefailFix(in, c)}
	if fixes[0].Refused == "" || imageFamily(in.Stage) != famDebian || len(in.Shell) > 0 && !slices.Equal(in.Shell, []string{"/bin/sh", "-c"}) {
		return fixes
	}
	for _, st := range in.Stage.Chain() {
		if offered[st] {
			return fixes
		}
	}
	offered[in.Stage] = true
	if fx, ok := pipefailShellFix(in); ok {
		fixes = append(fixes, fx)
	}
	return fixes
}

// pipefailShell is the SHELL the review fix adds: bash is in every Debian
// and Ubuntu image (it is an essential package).
const pipefailShell = `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`

// pipefailShellFix inserts the pipefail SHELL before the RUN. It changes
// the shell of this RUN and of every shell-form instruction after it in
// the stage and in the stages built on it, from dash to bash: review
// level. Every pipe of those RUNs must sit where its failure already ends
// the RUN (see pipefailFix), so that pipefail only turns hidden failures
// into failed builds.
func pipefailShellFix(in *df.Instruction) (rule.Fix, bool) {
	if in.OnBuild != nil || in.Range.Col < 1 || in.File() == nil {
		return rule.Fix{}, false
	}
	for _, st := range in.File().Stages {
		if !slices.Contains(st.Chain(), in.Stage) {
			continue
		}
		for _, x := range st.Instructions {
			if x.Keyword != "RUN" || x.Script == nil || st == in.Stage && x.Range.Line < in.Range.Line {
				continue
			}
			s := x.Script
			switch {
			case s.Exec:
				continue
			case len(x.Node.Heredocs) > 0 || s.AST == nil:
				for _, t := range s.Trees {
					if hasPipe(t.AST) {
						return rule.Fix{}, false
					}
				}
				if s.AST == nil {
					return rule.Fix{}, false
				}
			}
			if pipefailPlacesWhy(x, s.AST.Stmts) != "" {
				return rule.Fix{}, false
			}
		}
	}
	line := in.File().Lines[in.Range.Line-1]
	indent := line[:min(in.Range.Col-1, len(line))]
	return rule.Fix{
		Title: "run the RUNs of this stage from here on with bash -o pipefail (SHELL): bash replaces dash for them and for shell-form CMD, ENTRYPOINT and HEALTHCHECK after it",
		Level: rule.FixReview,
		Edits: []rule.Edit{insertAt(in.Range.Line, in.Range.Col, pipefailShell+"\n"+indent)},
	}, true
}

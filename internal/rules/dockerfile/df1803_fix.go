package dockerfile

import (
	"slices"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// execFormTitle names DF1803's fix.
const execFormTitle = "write the command in JSON exec form"

// execShellOnly are words a shell runs itself (builtins and reserved
// words): in exec form there is no shell to run them.
var execShellOnly = map[string]bool{"cd": true, "export": true, "source": true, ".": true, "set": true, "unset": true,
	"exit": true, "return": true, "ulimit": true, "umask": true, "trap": true, "eval": true, "read": true, "wait": true,
	"shift": true, "alias": true, "if": true, "for": true, "while": true, "until": true, "case": true, "exec": true,
	"declare": true, "local": true, "typeset": true, "readonly": true, "command": true, "builtin": true, "test": true, "[": true}

// execFormFix rewrites a simple shell-form CMD or ENTRYPOINT as JSON exec
// form: `CMD node server.js` becomes `CMD ["node", "server.js"]`. Simple
// means the shell would only split the text at blanks: no variables,
// quotes, escapes, globs, redirections, pipes, lists or comments, and a
// program that is not a shell builtin. The program then runs as PID 1
// with the same arguments and receives stop signals. It is refused where
// the exec form changes what runs: an ENTRYPOINT with a CMD in its stage
// or a stage built on it (exec form passes the CMD to it as arguments), a
// CMD under an ENTRYPOINT of the Dockerfile (which then receives the
// program's words instead of `/bin/sh -c TEXT`), and Windows stages.
func execFormFix(in *df.Instruction, st *df.Stage, text string) rule.Fix {
	words := strings.Fields(text)
	switch {
	case st.Windows:
		return refusal(execFormTitle, "a Windows stage, whose shell form runs under cmd")
	case len(in.Node.Heredocs) > 0:
		return refusal(execFormTitle, "the command is a heredoc")
	case len(words) == 0 || !execSimple(text):
		return refusal(execFormTitle, "the command uses shell syntax (variables, quotes, globs, redirections, lists)")
	case strings.Contains(words[0], "=") || execShellOnly[words[0]]:
		return refusal(execFormTitle, words[0]+" is run by the shell itself")
	}
	if why := execFormConfigWhy(in, st); why != "" {
		return refusal(execFormTitle, why)
	}
	r := in.LocateWord(words[0])
	end := in.Range.Normalized().EndLine
	if r.EndCol == 0 || in.File() == nil || end > len(in.File().Lines) {
		return refusal(execFormTitle, "the command's position is not known")
	}
	for ln := r.Line + 1; ln <= end; ln++ {
		if strings.HasPrefix(strings.TrimSpace(in.File().Lines[ln-1]), "#") {
			return refusal(execFormTitle, "a comment sits inside the command's continuation")
		}
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	return safeFix(execFormTitle, rule.Edit{Range: loc.Range{Line: r.Line, Col: r.Col, EndLine: end}, New: "[" + strings.Join(quoted, ", ") + "]"})
}

// execSimple reports whether the shell would do nothing with the text but
// split it at blanks (and join continuation lines).
func execSimple(text string) bool {
	for _, r := range text {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("_./:=,@+%- \t", r):
		default:
			return false
		}
	}
	return true
}

// execFormConfigWhy says why the exec form would change what the
// container runs, given the stage's other CMD and ENTRYPOINT.
func execFormConfigWhy(in *df.Instruction, st *df.Stage) string {
	if in.Keyword == "ENTRYPOINT" {
		for _, s := range in.File().Stages {
			if slices.Contains(s.Chain(), st) && len(s.ByKeyword("CMD")) > 0 {
				return "a CMD would become the arguments of the exec-form ENTRYPOINT"
			}
		}
		return ""
	}
	for _, s := range st.Chain() {
		if len(s.ByKeyword("ENTRYPOINT")) > 0 {
			return "an ENTRYPOINT of the Dockerfile would receive the program's words instead of /bin/sh -c"
		}
	}
	return ""
}

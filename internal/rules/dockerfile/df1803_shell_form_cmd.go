package dockerfile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1803 flags CMD and ENTRYPOINT in shell form. The command then runs as a
// child of `/bin/sh -c`, which becomes PID 1 and does not pass SIGTERM on,
// so `docker stop` waits for its timeout and kills the process without a
// clean shutdown. Like `docker build --check`, it stays quiet after an
// explicit SHELL (the author chose a shell on purpose), and it also accepts
// a shell form that starts with `exec`, which replaces the shell. Stages
// whose CMD can never reach an image (builder stages used only through
// COPY --from) are skipped.
var DF1803 = &rule.Rule{
	ID:       "DF1803",
	Slug:     "shell-form-cmd",
	Title:    "CMD or ENTRYPOINT in shell form",
	Severity: rule.Low,
	Category: rule.CatCorrectness,
	Rationale: "In shell form the container's PID 1 is `/bin/sh -c`, not the application. The shell does not forward SIGTERM, " +
		"so the application never learns it should stop: `docker stop` and Kubernetes wait for the grace period and then kill it, " +
		"losing in-flight requests and unflushed data. A shell-form ENTRYPOINT also ignores the arguments given to `docker run`.",
	Fix:   "Write the command in JSON exec form, e.g. `CMD [\"node\", \"server.js\"]`, or start the shell form with `exec`.",
	Bad:   "FROM node:20-alpine\nCMD node server.js",
	Good:  "FROM node:20-alpine\nCMD [\"node\", \"server.js\"]",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3025"}, {Tool: "kics", ID: "b86987e1-6397-4619-81d5-8807f2387c79"}, {Tool: "buildkit", ID: "JSONArgsRecommended"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#shell-and-exec-form",
		"https://docs.docker.com/reference/build-checks/json-args-recommended/",
		"https://github.com/hadolint/hadolint/wiki/DL3025",
	},
	Check: checkShellFormCmd,
}

func checkShellFormCmd(p *rule.Pass) error {
	for _, st := range fileOf(p).Stages {
		if !st.ConfigReachesImage() {
			continue
		}
		for _, in := range st.Instructions {
			var sh *instructions.ShellDependantCmdLine
			switch c := in.Command.(type) {
			case *instructions.CmdCommand:
				sh = &c.ShellDependantCmdLine
			case *instructions.EntrypointCommand:
				sh = &c.ShellDependantCmdLine
			default:
				continue
			}
			if !sh.PrependShell || shellSet(in) {
				continue
			}
			text := strings.TrimSpace(strings.Join(sh.CmdLine, " "))
			if text == "" || strings.HasPrefix(text, "exec ") {
				continue
			}
			if strings.HasPrefix(text, "[") {
				p.Reportf(in.Start(), "%s %s is not valid JSON (every element must be a double-quoted string), so it runs in shell form under %s", in.Keyword, truncate(text, 60), shellName(in.Shell))
				continue
			}
			p.Report(rule.Finding{
				Message:  fmt.Sprintf("%s %s runs under %s, which does not forward stop signals; use the JSON exec form", in.Keyword, truncate(text, 60), shellName(in.Shell)),
				Remedy:   execFormRemedy(in.KeywordAsWritten, text),
				Location: rule.Location{Range: in.Start()},
				Fixes:    []rule.Fix{execFormFix(in, st, text)},
			})
		}
	}
	return nil
}

func shellName(sh []string) string {
	if len(sh) == 0 {
		return "/bin/sh -c"
	}
	return strings.Join(sh, " ")
}

// shellSet reports whether a valid SHELL instruction runs before in, in its
// stage or in the stages it is built FROM.
func shellSet(in *df.Instruction) bool {
	for x := range in.Earlier() {
		if x.Keyword == "SHELL" && x.ParseErr == nil {
			return true
		}
	}
	return false
}

// execFormRemedy writes the exec form of a simple shell-form command (no
// shell syntax in it); a command that needs the shell is told to exec its
// last program instead.
func execFormRemedy(kw, text string) string {
	switch {
	case strings.Contains(text, "&&") || strings.Contains(text, "||") || strings.ContainsAny(text, ";|&"):
		return "The command runs several programs: move it into an entrypoint script that starts the long-running one with " +
			"`exec`, and name the script in exec form (`" + kw + " [\"/entrypoint.sh\"]`)."
	case strings.ContainsAny(text, "$<>*?()`'\"{}\\~"):
		return "The command needs the shell: start it with `exec` so that its program replaces the shell and receives stop " +
			"signals (`" + kw + " exec " + truncate(text, 40) + "`)."
	}
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = strconv.Quote(w)
	}
	return "Write `" + kw + " [" + strings.Join(words, ", ") + "]`."
}

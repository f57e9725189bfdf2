package dockerfile

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1103 reports commands run through sudo (or doas) in a RUN, including
// inside `sh -c` strings and heredocs. Build steps already run as the
// stage's USER; sudo there is either pointless (the user is root) or proof
// that the image carries a sudoers rule that lets an unprivileged process
// become root at run time.
var DF1103 = &rule.Rule{
	ID:       "DF1103",
	Slug:     "sudo",
	Title:    "RUN uses sudo",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "RUN steps execute as the current USER, so a step that needs root should be preceded by `USER root`, not " +
		"prefixed with sudo. For sudo to work in a build the image must contain sudo and a password-less sudoers entry " +
		"for the build user; both stay in the final image and give anyone who compromises that user a one-word path to " +
		"root. sudo also behaves unpredictably without a TTY and changes the environment and signal handling of the command.",
	Levels: []rule.Level{{Severity: rule.Low, When: "when the stage sets no USER on a base image other than Docker's official " +
		"ones, whose user the Dockerfile cannot know (some run as an account that needs sudo), and in a development or CI " +
		"image (a dev container, a test image), which is not deployed"}},
	Fix: "Remove sudo: switch with `USER root` before the step and back to the unprivileged USER after it. " +
		"To run a command as another user at start-up, use gosu or su-exec instead.",
	Bad:   "FROM ubuntu:24.04\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y curl",
	Good:  "FROM ubuntu:24.04\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER app",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3004"}, {Tool: "kics", ID: "8ada6e80-0ade-439e-b176-0b28f6bce35a"}, {Tool: "trivy", ID: "DS-0010"}, {Tool: "checkov", ID: "CKV2_DOCKER_1"}},
	References: []string{
		"https://github.com/hadolint/hadolint/wiki/DL3004",
		"https://docs.docker.com/build/building/best-practices/#user",
	},
	Check: eachCommand(usrCheckSudo),
}

// usrCheckSudo reports one command run through sudo or doas.
func usrCheckSudo(p *rule.Pass, in *df.Instruction, c *df.Cmd) {
	tool := ""
	switch {
	case slices.Contains(c.Wrappers, "sudo") || c.Name == "sudo":
		tool = "sudo"
	case slices.Contains(c.Wrappers, "doas") || c.Name == "doas":
		tool = "doas"
	default:
		return
	}
	what := tool
	if c.Name != "" && c.Name != tool {
		what = tool + " " + c.Name
	}
	if target := in.Resolve(usrSudoTarget(c, tool)); target != "" && !df.IsRoot(target, false) {
		head := tool + " -u " + target
		if c.Name != "" && c.Name != tool {
			head += " " + c.Name
		}
		f := rule.Finding{
			Message:  fmt.Sprintf("%s uses %s only to step down from root; use USER %s for the step (or runuser/setpriv) and keep %s out of the image", head, tool, target, tool),
			Remedy:   "Run the step under `USER " + target + "` (or `setpriv`/`runuser -u " + target + " --`) and remove " + tool + " from the image.",
			Location: rule.Location{Range: in.CmdRange(c)},
		}
		if usrDevImage(p) {
			f.Severity = rule.Low
		}
		p.Report(f)
		return
	}
	u := in.InForce("USER")
	user, _, raw := u.User()
	if user == "" {
		user = raw
	}
	f := rule.Finding{Location: rule.Location{Range: in.CmdRange(c)}}
	if usrDevImage(p) {
		f.Severity = rule.Low
	}
	switch {
	case u == nil:
		if b, ok := in.Stage.Root().Image(); ok && b.Official != "" {
			// Docker's official images leave the user at root.
			f.Message = fmt.Sprintf("%s: the stage sets no USER and the official %s image runs as root, so %s is unnecessary here", what, b.Official, tool)
			f.Remedy = "Drop `" + tool + "` from the command: the RUN already runs as root."
			break
		}
		f.Severity = rule.Low
		f.Message = fmt.Sprintf("%s: the stage sets no USER, so RUN already runs as the base image's user (root by default); drop %s and switch with USER root where needed", what, tool)
		f.Remedy = "Drop `" + tool + "` from the command: RUN runs as the base image's user, root unless it sets another; if it does, put `USER root` before this RUN."
	case df.IsRoot(user, false):
		f.Message = fmt.Sprintf("%s runs as root already (USER %s); %s is unnecessary here", what, user, tool)
		f.Remedy = "Drop `" + tool + "` from the command: the RUN already runs as " + user + "."
	default:
		f.Message = fmt.Sprintf("%s relies on a sudoers rule for USER %s that stays in the image; use USER root for this step instead", what, user)
		f.Remedy = "Put `USER root` before this RUN and `USER " + user + "` after it, and remove " + tool + " and its sudoers rule from the image."
	}
	p.Report(f)
}

// usrDevImage reports a file that describes a development or CI image.
func usrDevImage(p *rule.Pass) bool {
	t := fileOf(p).Target
	return t != nil && t.Role().Role == df.RoleDev
}

// usrSudoTarget returns the user a `sudo -u USER cmd` runs its command as,
// read back from the shell syntax because the model strips wrapper options.
func usrSudoTarget(c *df.Cmd, tool string) string {
	call := c.Call()
	if call == nil {
		return ""
	}
	pr := syntax.NewPrinter()
	words := make([]string, 0, len(call.Args))
	for _, w := range call.Args {
		var b strings.Builder
		_ = pr.Print(&b, w)
		words = append(words, strings.Trim(b.String(), `"'`))
	}
	for i, w := range words {
		if path.Base(w) != tool {
			continue
		}
		for j := i + 1; j < len(words) && strings.HasPrefix(words[j], "-"); j++ {
			a := words[j]
			switch {
			case (a == "-u" || a == "--user") && j+1 < len(words):
				return words[j+1]
			case strings.HasPrefix(a, "--user="):
				return strings.TrimPrefix(a, "--user=")
			case strings.HasPrefix(a, "-u") && len(a) > 2:
				return a[2:]
			}
		}
		return ""
	}
	return ""
}

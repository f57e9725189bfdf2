package dockerfile

import (
	"path"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1814 flags RUN commands that replace /bin/sh to get another shell for
// later RUNs: `ln -sf /bin/bash /bin/sh`, copying or moving a shell over
// /bin/sh, `update-alternatives --install /bin/sh ...`, and
// `dpkg-reconfigure dash` (which switches /bin/sh away from dash). The
// SHELL instruction does this without altering the image's files.
var DF1814 = &rule.Rule{
	ID:       "DF1814",
	Slug:     "shell-changed-by-run",
	Title:    "Default shell replaced with RUN instead of SHELL",
	Severity: rule.Low,
	Category: rule.CatCorrectness,
	Rationale: "Overwriting /bin/sh changes the shell of every program in the container, not just of the Dockerfile: system " +
		"scripts written for dash or busybox run under bash, package maintainer scripts behave differently, and the next base " +
		"image update may restore the link. The SHELL instruction chooses the build shell explicitly and leaves the image's " +
		"/bin/sh alone.",
	Fix:   "Remove the RUN that relinks /bin/sh and add `SHELL [\"/bin/bash\", \"-c\"]` (with `-o pipefail` if needed) instead.",
	Bad:   "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\nRUN source /etc/profile && make",
	Good:  "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN source /etc/profile && make",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL4005"}, {Tool: "kics", ID: "8a301064-c291-4b20-adcb-403fe7fd95fd"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#shell",
		"https://github.com/hadolint/hadolint/wiki/DL4005",
	},
	Check: checkShellChangedByRun,
}

func isBinSh(s string) bool {
	s = strings.TrimRight(s, "/")
	return s == "/bin/sh" || s == "/usr/bin/sh"
}

func checkShellChangedByRun(p *rule.Pass) error {
	for in := range fileOf(p).Runs() {
		for _, c := range in.Script.Unwrapped() {
			if msg := shellReplacement(c); msg != "" {
				p.Reportf(in.SpanTo(c), "%s; use the SHELL instruction instead", msg)
			}
		}
	}
	return nil
}

func shellReplacement(c *df.Cmd) string {
	pos := c.Positionals()
	switch c.Name {
	case "ln":
		if len(pos) >= 2 && isBinSh(pos[len(pos)-1]) {
			return "ln " + pos[len(pos)-2] + " " + pos[len(pos)-1] + " replaces the system /bin/sh"
		}
		if v, ok := c.FlagValue("-t", "--target-directory"); ok && (v == "/bin" || v == "/usr/bin") {
			for _, s := range pos {
				if path.Base(s) == "sh" {
					return "ln into " + v + " replaces the system /bin/sh"
				}
			}
		}
	case "cp", "mv", "install":
		if len(pos) >= 2 && isBinSh(pos[len(pos)-1]) {
			return c.Name + " " + pos[len(pos)-2] + " " + pos[len(pos)-1] + " replaces the system /bin/sh"
		}
	case "update-alternatives":
		if c.HasFlag("--install") && len(pos) >= 1 && isBinSh(pos[0]) {
			return "update-alternatives --install /bin/sh replaces the system /bin/sh"
		}
		if v, ok := c.FlagValue("--set"); ok && v == "sh" {
			return "update-alternatives --set sh replaces the system /bin/sh"
		}
	case "dpkg-reconfigure":
		for _, s := range pos {
			if s == "dash" {
				return "dpkg-reconfigure dash switches the system /bin/sh away from dash"
			}
		}
	}
	return ""
}

package dockerfile

import (
	"fmt"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1801 flags `cd` in a RUN where WORKDIR would say the same thing. A cd
// lasts only until the end of its RUN, so a RUN that does nothing but cd is
// a plain bug, and a long `cd a && ... && cd b` chain hides where later
// instructions run. cd inside a `( ... )` subshell, `cd -`, a bare `cd`, cd
// into a directory computed by the script itself (`cd "$(mktemp -d)"`,
// `cd $tmp`) and cd into a scratch directory (one the same RUN deletes
// again, or under /tmp) have no WORKDIR equivalent and are left alone:
// WORKDIR would keep the directory in the image.
var DF1801 = &rule.Rule{
	ID:       "DF1801",
	Slug:     "cd-instead-of-workdir",
	Title:    "RUN uses cd instead of WORKDIR",
	Severity: rule.Low,
	Category: rule.CatCorrectness,
	Rationale: "A directory change made with cd ends with the RUN that makes it: the next RUN, COPY or CMD starts again in the " +
		"stage's WORKDIR. Builds that rely on cd therefore break when a chain is split, and a RUN holding only `cd /dir` does " +
		"nothing at all. WORKDIR states the directory once, creates it if needed and applies to every later instruction. " +
		"A scratch directory, one the RUN deletes again (download, build, `rm -rf`) or one under /tmp, is not " +
		"reported: WORKDIR would keep it in the image.",
	Fix:   "Set the directory with `WORKDIR /dir` before the RUN instead of `cd /dir && ...`.",
	Bad:   "FROM golang:1.22\nCOPY . /src\nRUN cd /src && go build -o /app .",
	Good:  "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3003"}, {Tool: "trivy", ID: "DS-0013"}, {Tool: "kics", ID: "f4a6bcd3-e231-4acf-993c-aa027be50d2e"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#workdir",
		"https://github.com/hadolint/hadolint/wiki/DL3003",
	},
	Check: checkCdInsteadOfWorkdir,
}

func checkCdInsteadOfWorkdir(p *rule.Pass) error {
	for in := range fileOf(p).Runs() {
		cmds := in.Script.Unwrapped()
		left := false // whether a cd into a scratch directory came before
		for _, c := range cmds {
			if c.Name != "cd" || c.Subshell {
				continue
			}
			pos := c.Positionals()
			if len(pos) == 0 || pos[0] == "-" || cdDynamic(in, pos[0]) {
				continue
			}
			if cdScratch(in, pos[0]) {
				left = true
				continue
			}
			if left && df.CleanPath(pos[0]) == "/" {
				// Leaving the scratch directory before deleting it.
				continue
			}
			dir := pos[0]
			f := rule.Finding{
				Message:  fmt.Sprintf("cd %s inside RUN; set the directory with WORKDIR %s instead", dir, dir),
				Remedy:   "Put `WORKDIR " + dir + "` before this RUN and drop the `cd " + dir + "`.",
				Location: rule.Location{Range: in.CmdRange(c)},
			}
			if len(cmds) == 1 {
				f.Message = fmt.Sprintf("RUN cd %s changes directory for this RUN only and has no effect on later instructions; use WORKDIR %s", dir, dir)
				f.Remedy = "Replace this RUN with `WORKDIR " + dir + "`."
			}
			p.Report(f)
			break
		}
	}
	return nil
}

// cdDynamic reports whether a cd target is computed by the script (command
// substitution, or a variable that is not an ARG or ENV of the file).
func cdDynamic(in *df.Instruction, dir string) bool {
	if strings.ContainsAny(dir, "`*?") || strings.Contains(dir, "$(") {
		return true
	}
	if !strings.Contains(dir, "$") {
		return false
	}
	_, unmatched := in.Expand(dir)
	return len(unmatched) > 0
}

// cdScratch reports a cd into a scratch directory for one build step: one
// the same RUN deletes again, or a temporary directory (/tmp, /var/tmp).
func cdScratch(in *df.Instruction, dir string) bool {
	d, _ := in.Expand(dir)
	d = df.CleanPath(d)
	return df.PathCovers("/tmp", d) || df.PathCovers("/var/tmp", d) || in.Deletes(d)
}

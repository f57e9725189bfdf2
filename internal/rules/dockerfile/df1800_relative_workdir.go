package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1800 flags the first WORKDIR of a stage chain when its path is relative:
// it is then resolved against whatever working directory the base image
// happens to set. Later relative WORKDIRs are resolved against an absolute
// one set in this file and are deterministic, so, like `docker build
// --check`, only the first one is reported.
var DF1800 = &rule.Rule{
	ID:       "DF1800",
	Slug:     "relative-workdir",
	Title:    "WORKDIR path is relative",
	Severity: rule.Medium,
	Category: rule.CatCorrectness,
	Rationale: "A relative WORKDIR is joined to the working directory inherited from the base image. When the base image changes " +
		"its WORKDIR (a new tag, a different distribution), files are silently copied to and commands run in another directory, " +
		"and paths such as CMD arguments stop resolving. An absolute path makes the layout independent of the base image.",
	Fix:   "Use an absolute path for the first WORKDIR of the stage, e.g. `WORKDIR /app`.",
	Bad:   "FROM node:20-alpine\nWORKDIR app\nCOPY . .",
	Good:  "FROM node:20-alpine\nWORKDIR /app\nCOPY . .",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3000"}, {Tool: "trivy", ID: "DS-0009"}, {Tool: "kics", ID: "6b376af8-cfe8-49ab-a08d-f32de23661a4"}, {Tool: "checkov", ID: "CKV_DOCKER_10"}, {Tool: "buildkit", ID: "WorkdirRelativePath"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#workdir",
		"https://docs.docker.com/reference/build-checks/workdir-relative-path/",
		"https://github.com/hadolint/hadolint/wiki/DL3000",
	},
	Check: checkRelativeWorkdir,
}

// windowsAbsPath matches `C:\dir`, `c:/dir` and `C:`.
var windowsAbsPath = regexp.MustCompile(`^[A-Za-z]:([\\/]|$)`)

func checkRelativeWorkdir(p *rule.Pass) error {
	// set records, per stage, whether a WORKDIR has already been given in
	// the stage or in the stages it is built FROM.
	set := map[*df.Stage]bool{}
	for _, st := range fileOf(p).Stages {
		done := st.BaseStage != nil && set[st.BaseStage]
		for _, in := range st.Instructions {
			c, ok := in.Command.(*instructions.WorkdirCommand)
			if !ok {
				continue
			}
			if !done {
				workdirCheckFirst(p, in, c.Path)
			}
			done = true
		}
		set[st] = done
	}
	return nil
}

func workdirCheckFirst(p *rule.Pass, in *df.Instruction, raw string) {
	v, unmatched := in.Expand(raw)
	if len(unmatched) > 0 {
		// A variable from the base image (or a typo, see DF1811) decides
		// the path; it cannot be judged here.
		return
	}
	v = strings.Trim(v, `"'`)
	if v == "" || strings.HasPrefix(v, "/") || strings.HasPrefix(v, `\`) || windowsAbsPath.MatchString(v) {
		return
	}
	if v != raw {
		p.Reportf(in.Start(), "WORKDIR %s resolves to the relative path %q, which depends on the base image's working directory", raw, v)
		return
	}
	p.Reportf(in.Start(), "WORKDIR %q is relative, so it depends on the base image's working directory", raw)
}

package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1807 flags COPY and ADD with several sources (files, URLs or heredocs)
// whose destination does not end with a slash. The Dockerfile reference
// requires a directory destination written as `dir/` in that case; without
// the slash the result depends on the builder and on whether the path
// happens to exist as a directory in the base image.
var DF1807 = &rule.Rule{
	ID:       "DF1807",
	Slug:     "copy-multi-source-to-file",
	Title:    "COPY of several sources to a path without a trailing slash",
	Severity: rule.High,
	Category: rule.CatCorrectness,
	Rationale: "With more than one source the destination must be a directory, and Docker only treats it as one for sure " +
		"when it ends with `/`. Otherwise the classic builder stops with an error, and other builders copy onto a path that " +
		"may be a file, so sources overwrite each other or land somewhere else once the base image changes. The trailing " +
		"slash makes the intent explicit and the outcome the same everywhere.",
	Fix:   "End the destination with a slash, e.g. `COPY package.json yarn.lock /app/`.",
	Bad:   "FROM node:20-alpine\nCOPY package.json yarn.lock /app",
	Good:  "FROM node:20-alpine\nCOPY package.json yarn.lock /app/",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3021"}, {Tool: "trivy", ID: "DS-0011"}, {Tool: "kics", ID: "6db6e0c2-32a3-4a2e-93b5-72c35f4119db"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#copy",
		"https://github.com/hadolint/hadolint/wiki/DL3021",
	},
	Check: checkCopyMultiSource,
}

func checkCopyMultiSource(p *rule.Pass) error {
	for _, in := range fileOf(p).Instructions {
		var sd *instructions.SourcesAndDest
		switch c := in.Command.(type) {
		case *instructions.CopyCommand:
			sd = &c.SourcesAndDest
		case *instructions.AddCommand:
			sd = &c.SourcesAndDest
		default:
			continue
		}
		n := len(sd.SourcePaths) + len(sd.SourceContents)
		if n < 2 {
			continue
		}
		dest, _ := in.Expand(sd.DestPath)
		if copyDestIsDir(dest, in.Stage != nil && in.Stage.Windows) {
			continue
		}
		p.Reportf(in.Start(), "%s has %d sources but its destination %q does not end with /; write %q", in.Keyword, n, sd.DestPath, sd.DestPath+"/")
	}
	return nil
}

func copyDestIsDir(dest string, windows bool) bool {
	if strings.HasSuffix(dest, "/") || (windows && strings.HasSuffix(dest, `\`)) {
		return true
	}
	base := dest
	if i := strings.LastIndexAny(dest, `/\`); i >= 0 {
		base = dest[i+1:]
	}
	return base == "." || base == ".."
}

package dockerfile

import (
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1206 reports `FROM --platform=$TARGETPLATFORM`: a stage is built for
// the target platform anyway, so the flag only adds noise and suggests to
// readers that something unusual happens.
var DF1206 = &rule.Rule{
	ID:       "DF1206",
	Slug:     "redundant-target-platform",
	Title:    "FROM --platform=$TARGETPLATFORM is redundant",
	Severity: rule.Info,
	Category: rule.CatBaseImage,
	Rationale: "Every stage is built for $TARGETPLATFORM unless told otherwise, so spelling it out changes nothing. " +
		"It is usually a mistaken copy of the `--platform=$BUILDPLATFORM` idiom for cross-compiling stages, and may hide that the author meant the build platform.",
	Fix:   "Remove `--platform=$TARGETPLATFORM`; use `--platform=$BUILDPLATFORM` if the stage should run natively on the build machine.",
	Bad:   "FROM --platform=$TARGETPLATFORM alpine:3.21",
	Good:  "FROM alpine:3.21",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3065"}, {Tool: "buildkit", ID: "RedundantTargetPlatform"}},
	References: []string{
		"https://docs.docker.com/reference/build-checks/redundant-target-platform/",
		"https://docs.docker.com/build/building/variables/#multi-platform-build-arguments",
	},
	Check: checkRedundantTargetPlatform,
}

func checkRedundantTargetPlatform(p *rule.Pass) error {
	f := fileOf(p)
	for _, st := range f.Stages {
		if st.Platform == "" {
			continue
		}
		// As in BuildKit: the only variable is TARGETPLATFORM and the value
		// is exactly it, so $TARGETPLATFORM, ${TARGETPLATFORM} or a default
		// form; linux/$TARGETARCH-style values are left alone.
		res, err := shell.NewLex(f.Escape).ProcessWordWithMatches(st.Platform, st.From.Vars)
		if err != nil || len(res.Matched) != 1 || len(res.Unmatched) > 0 {
			continue
		}
		if _, ok := res.Matched["TARGETPLATFORM"]; !ok {
			continue
		}
		if v, _ := st.From.Vars.Get("TARGETPLATFORM"); res.Result != v {
			continue
		}
		p.Reportf(st.From.FlagRange("platform"), "--platform=%s on stage %s is the default and can be removed", st.Platform, st.Label())
	}
	return nil
}

package dockerfile

import (
	"fmt"
	"regexp"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1200 reports a FROM whose external image has no tag and no digest, or
// the tag latest: the build then takes whatever the registry serves that
// day, so two builds of the same commit can differ in every layer below
// the application.
var DF1200 = &rule.Rule{
	ID:       "DF1200",
	Slug:     "unversioned-base",
	Title:    "Base image has no tag or uses latest",
	Severity: rule.Medium,
	Category: rule.CatBaseImage,
	Rationale: "An image named without a tag resolves to `latest`, which the publisher moves with every release. " +
		"Builds stop being reproducible, a major upgrade of the operating system or runtime can arrive unreviewed " +
		"with the next rebuild, and a finding in a scan cannot be tied to the base that was actually used.",
	Levels: []rule.Level{{Severity: rule.Low, When: "when the reference is only the default of a build argument that names " +
		"the whole image (`ARG BASE_IMAGE=name` then `FROM $BASE_IMAGE`), which the build that matters sets with " +
		"--build-arg, and in a development or CI file (a dev container, a file under hack/), which is not deployed"}},
	Fix: "Name a specific version tag (for example `node:22.12-alpine`), ideally with its digest. " +
		"A reference pinned by digest alone is accepted, since the digest fixes the content.",
	Bad:  "FROM node\nFROM python:latest",
	Good: "FROM node:22.12-alpine3.21\nFROM python:3.13-slim@sha256:<digest>",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3006"}, {Tool: "hadolint", ID: "DL3007"}, {Tool: "kics", ID: "9efb0b2d-89c9-41a3-91ca-dcc0aec911fd"},
		{Tool: "kics", ID: "f45ea400-6bbe-4501-9fc7-1c3d75c32067"}, {Tool: "trivy", ID: "DS-0001"}, {Tool: "checkov", ID: "CKV_DOCKER_7"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#from",
		"https://github.com/hadolint/hadolint/wiki/DL3006",
		"https://github.com/hadolint/hadolint/wiki/DL3007",
	},
	Subsumes: []rule.Subsumption{{IDs: []string{"DF1201"}, Same: rule.SameLine}},
	Check:    checkUnversionedBase,
}

func checkUnversionedBase(p *rule.Pass) error {
	f := fileOf(p)
	dev := f.Target != nil && f.Target.Role().Role == df.RoleDev
	for _, st := range f.Stages {
		b, ok := st.Image()
		if !ok || b.Digest != "" {
			continue
		}
		via := ""
		if b.Ref != st.BaseName {
			via = " (from " + st.BaseName + ")"
		}
		remedy := "Name the version you tested: `FROM " + b.Familiar + ":<version>`, ideally with its digest (`" +
			b.Familiar + ":<version>@sha256:<digest>`)."
		sev := rule.Medium
		if arg := argDefaultOnly(f, st.BaseName); arg != "" {
			sev = rule.Low
			via = " (the default of build argument " + arg + ", which the build may set)"
			remedy = "Give the default a version tag (`ARG " + arg + "=" + b.Familiar + ":<version>`), and pass a pinned reference with `--build-arg " + arg + "=...`."
		} else if dev {
			sev = rule.Low
		}
		var msg string
		switch {
		case b.Tag == "":
			msg = fmt.Sprintf("base image %q%s has no tag, so it resolves to %s:latest", b.Ref, via, b.Familiar)
		case b.Tag == "latest":
			msg = fmt.Sprintf("base image %q%s uses the moving latest tag", b.Ref, via)
		default:
			continue
		}
		p.Report(rule.Finding{Severity: sev, Message: msg, Remedy: remedy, Location: rule.Location{Range: st.BaseRange()}})
	}
	return nil
}

var wholeArgRef = regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`)

// argDefaultOnly returns the build argument a FROM names as a whole
// (`FROM $BASE_IMAGE`) when the reference is that argument's default, not a
// value the build passed with --build-arg; "" otherwise.
func argDefaultOnly(f *df.File, written string) string {
	m := wholeArgRef.FindStringSubmatch(written)
	if m == nil {
		return ""
	}
	if _, given := f.BuildArgs[m[1]]; given {
		return ""
	}
	return m[1]
}

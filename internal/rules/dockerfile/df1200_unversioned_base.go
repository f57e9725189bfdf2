package dockerfile

import (
	"fmt"

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
		switch {
		case b.Tag == "":
			p.Report(rule.Finding{Message: fmt.Sprintf("base image %q%s has no tag, so it resolves to %s:latest", b.Ref, via, b.Familiar),
				Remedy: remedy, Location: rule.Location{Range: st.BaseRange()}})
		case b.Tag == "latest":
			p.Report(rule.Finding{Message: fmt.Sprintf("base image %q%s uses the moving latest tag", b.Ref, via),
				Remedy: remedy, Location: rule.Location{Range: st.BaseRange()}})
		}
	}
	return nil
}

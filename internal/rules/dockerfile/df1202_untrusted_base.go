package dockerfile

import (
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/imageref"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1202 reports base images from outside the registries and images an
// organisation has approved. It is silent until trusted-registries or
// allowed-images is configured, since only the user knows which sources
// they vet.
var DF1202 = &rule.Rule{
	ID:       "DF1202",
	Slug:     "untrusted-base",
	Title:    "Base image is not from a trusted registry",
	Severity: rule.High,
	Category: rule.CatBaseImage,
	Rationale: "Everything in the base image runs inside the container with the application's privileges. " +
		"An image pulled from an arbitrary registry or a personal Docker Hub account has not been vetted, may be abandoned " +
		"or typo-squatted, and bypasses the mirror where the organisation scans and signs what it ships.",
	Fix: "Build from an approved registry or image: copy the image into the trusted registry after review, or " +
		"add it to `trusted-registries` / `allowed-images` in .shipshape.yaml if it is acceptable.",
	Bad:  "# settings: trusted-registries: [registry.example.com]\nFROM someuser/toolbox:1.2",
	Good: "FROM registry.example.com/base/node:22-alpine",
	Settings: []rule.Setting{
		{Name: "trusted-registries", Type: "strings", Default: []string{},
			Doc: "Registries, optionally with a path prefix, whose images are trusted: `docker.io`, `gcr.io/distroless`, `registry.example.com`, `*.example.com`. " +
				"Docker Hub short names are normalised first (`node` is docker.io/library/node), and index.docker.io counts as docker.io."},
		{Name: "allowed-images", Type: "strings", Default: []string{},
			Doc: "Image patterns trusted wherever they come from: `docker.io/library/*`, `gcr.io/distroless/*`, `node`. " +
				"`*` matches any characters including `/`; patterns are tried against the full and the short name, with and without the tag."},
	},
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3026"}, {Tool: "cis-docker-1.6.0", ID: "4.2"}},
	References: []string{
		"https://github.com/hadolint/hadolint/wiki/DL3026",
		"https://docs.docker.com/docker-hub/image-library/trusted-content/",
		"https://www.cisecurity.org/benchmark/docker",
	},
	Check: checkUntrustedBase,
}

func checkUntrustedBase(p *rule.Pass) error {
	registries := p.Settings.Strings("trusted-registries")
	allowed := p.Settings.Strings("allowed-images")
	if len(registries) == 0 && len(allowed) == 0 {
		return nil
	}
	f := fileOf(p)
	for _, st := range f.Stages {
		b, ok := st.Image()
		if !ok || b.Matches(allowed) || trustedRegistry(registries, b) {
			continue
		}
		switch {
		case len(registries) == 0:
			p.Reportf(st.BaseRange(), "base image %q (%s) matches none of allowed-images", b.Ref, b.Name)
		default:
			p.Reportf(st.BaseRange(), "base image %q comes from %s, which is not in trusted-registries", b.Ref, b.Domain)
		}
	}
	return nil
}

// trustedRegistry reports whether the image comes from one of the
// registries (imageref.Trusted).
func trustedRegistry(registries []string, b df.BaseImage) bool {
	return imageref.Trusted(registries, b.Name)
}

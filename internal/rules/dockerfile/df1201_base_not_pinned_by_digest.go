package dockerfile

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1201 reports external base images referenced without an @sha256:
// digest. A tag is a pointer the publisher (or anyone controlling the
// registry or the path to it) can move; only a digest names content.
var DF1201 = &rule.Rule{
	ID:       "DF1201",
	Slug:     "base-not-pinned-by-digest",
	Title:    "Base image is not pinned by digest",
	Severity: rule.Low,
	Category: rule.CatBaseImage,
	Rationale: "Tags are mutable: `node:22-alpine` points at a new image every few days, and a compromised registry " +
		"account or mirror can repoint it at anything. A digest identifies the exact bytes, so builds are reproducible, " +
		"provenance can be verified, and base updates arrive as reviewable diffs (Dependabot and Renovate update digests).",
	Fix: "Append the digest of the image you tested: `FROM node:22-alpine@sha256:<digest>` (`docker buildx imagetools inspect node:22-alpine` prints it). " +
		"Keep the tag for readability and let a dependency bot refresh the digest.",
	Bad:  "FROM node:22-alpine",
	Good: "FROM node:22-alpine@sha256:<digest>",
	Settings: []rule.Setting{{Name: "require-digest-for", Type: "strings", Default: []string{},
		Doc: "Image patterns that must be pinned by digest; empty means every external base image. " +
			"`*` matches any characters including `/` and `:`; a pattern is tried against the full name (docker.io/library/node), " +
			"the short name (node) and both with the tag (node:22-alpine), e.g. `registry.example.com/*` or `node*`."}},
	Peers: []rule.Peer{},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
		"https://docs.docker.com/reference/cli/docker/buildx/imagetools/inspect/",
	},
	Check: checkBaseDigest,
}

func checkBaseDigest(p *rule.Pass) error {
	f := fileOf(p)
	only := p.Settings.Strings("require-digest-for")
	for _, st := range f.Stages {
		b, ok := st.Image()
		if !ok || b.Digest != "" {
			continue
		}
		if len(only) > 0 && !b.Matches(only) {
			continue
		}
		p.Report(rule.Finding{
			Message: fmt.Sprintf("base image %q is referenced by tag only, not pinned by digest", b.Ref),
			Remedy: "Append the digest of the image you tested: `FROM " + b.Ref + "@sha256:<digest>` (`docker buildx imagetools inspect " +
				b.Ref + "` prints it).",
			Location: rule.Location{Range: st.BaseRange()},
		})
	}
	return nil
}

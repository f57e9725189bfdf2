package runtime

import (
	"regexp"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1030 reports images referenced without a fixed version.
var RT1030 = &rule.Rule{
	ID:       "RT1030",
	Slug:     "image-not-pinned",
	Title:    "Image is not pinned by tag and digest",
	Severity: rule.Medium,
	Category: rule.CatIntegrity,
	Rationale: "Without a tag the image is `latest`, which changes whenever the publisher pushes: a restart can bring a new " +
		"major version, a broken build or a compromised image. A version tag is better but still mutable; only a digest " +
		"names exactly the bytes that were tested and scanned. Tools like Renovate and Dependabot keep digests current.",
	Fix:  "Reference the image by version tag and digest, e.g. `postgres:16.4-alpine@sha256:<digest>` (`docker buildx imagetools inspect` prints it).",
	Bad:  "services:\n  db:\n    image: postgres",
	Good: "services:\n  db:\n    image: postgres:16.4-alpine@sha256:4ec37d2a07a0067f176fdcc9d4bb633a5724d2cc4f892c7a2046d054bb6939e5",
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#image",
		"https://docs.docker.com/dhi/core-concepts/digests/",
	},
	Levels: []rule.Level{{Severity: rule.Low, When: "when the image has a version tag but no digest"}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			img := strings.TrimSpace(s.Image)
			if s.Build || img == "" || strings.Contains(img, "$") || s.Unresolved[container.KeyImage] || reImageID.MatchString(img) {
				continue
			}
			tag, digest := splitImage(img)
			pos := at(s, container.KeyImage)
			fix := "pin " + img + " to a version tag and its digest (name:1.2.3@sha256:…); `docker buildx imagetools inspect` prints the digest"
			switch {
			case digest:
				continue
			case tag == "":
				reportFix(p, pos, 0, fix, "image %s of %s has no tag, so it means latest and changes with every push", img, who(s))
			case strings.EqualFold(tag, "latest"):
				reportFix(p, pos, 0, fix, "image %s of %s uses the latest tag, which changes with every push", img, who(s))
			case !strings.ContainsAny(tag, "0123456789"):
				reportFix(p, pos, 0, fix, "image %s of %s uses the floating tag %q, which names a channel rather than a version", img, who(s), tag)
			default:
				reportFix(p, pos, rule.Low, "add the digest to "+img+" ("+img+"@sha256:…); `docker buildx imagetools inspect "+img+"` prints it",
					"image %s of %s is pinned by tag only; add the digest (@sha256:...) to fix the exact image", img, who(s))
			}
		}
		return nil
	},
}

// reImageID matches an image ID as inspect reports it.
var reImageID = regexp.MustCompile(`^(sha256:)?[0-9a-f]{12,64}$`)

// splitImage returns an image reference's tag and whether it has a digest.
func splitImage(ref string) (tag string, digest bool) {
	if i := strings.Index(ref, "@"); i >= 0 {
		digest = strings.Contains(ref[i:], ":")
		ref = ref[:i]
	}
	last := ref
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		last = ref[i+1:]
	}
	if _, t, ok := strings.Cut(last, ":"); ok {
		tag = t
	}
	return tag, digest
}

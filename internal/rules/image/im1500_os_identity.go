package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1500 names the image's distribution and base image, for the record
// and for the end-of-life check.
var IM1500 = &rule.Rule{
	ID:       "IM1500",
	Slug:     "image-identity",
	Title:    "Operating system and base image of the image",
	Severity: rule.Info,
	Category: rule.CatBaseImage,
	Rationale: "Knowing which distribution and release an image runs is the starting point for patching, for end-of-life " +
		"planning and for choosing a smaller base. shipshape reads it from /etc/os-release (falling back to " +
		"/usr/lib/os-release and the distribution's own release file) and the base image from the OCI labels.",
	Fix:   "Nothing to fix: this finding records what the image is built on. Add `org.opencontainers.image.base.name` so that the base is named too.",
	Bad:   "# an image whose distribution nobody on the team can name",
	Good:  "FROM debian:12-slim\nLABEL org.opencontainers.image.base.name=docker.io/library/debian:12-slim",
	Peers: nil,
	References: []string{
		"https://www.freedesktop.org/software/systemd/man/latest/os-release.html",
		"https://github.com/opencontainers/image-spec/blob/main/annotations.md",
	},
	Check: checkIdentity,
}

func checkIdentity(p *rule.Pass) error {
	o, ok := imageOf(p).Distro()
	base, from := baseImage(p)
	msg := ""
	layer := configLayer
	path := ""
	if ok {
		msg = "operating system: " + o.Name() + " (from " + o.Source + ")"
		layer, path = layerOf(imageOf(p), o.Source), o.Source
	} else if imageOf(p).NumFiles() > 0 {
		msg = "operating system: unknown (no os-release or distribution release file)"
	}
	if base != "" {
		if msg != "" {
			msg += "; "
		}
		msg += "base image: " + base + " (label " + from + ")"
	}
	if msg == "" {
		return nil
	}
	reportFile(p, layer, path, "%s", msg)
	return nil
}

package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Labels that name an image's base (OCI annotations, which BuildKit and
// many build tools set) or identify an official base image by name and
// version.
const (
	labelBaseName = "org.opencontainers.image.base.name"
	labelBaseDig  = "org.opencontainers.image.base.digest"
	labelRefName  = "org.opencontainers.image.ref.name"
	labelVersion  = "org.opencontainers.image.version"
)

// IM1007 reports an image that does not say what it was built from.
var IM1007 = &rule.Rule{
	ID:       "IM1007",
	Slug:     "base-image-unknown",
	Title:    "Image does not name its base image",
	Severity: rule.Low,
	Category: rule.CatBaseImage,
	Rationale: "Knowing the base image is how an image gets rebuilt when its base is patched: scanners, update bots and " +
		"people tracing a vulnerability start from it. Without the org.opencontainers.image.base.name annotation (or a " +
		"base that names itself) the only trace is a nameless `ADD file:... in /` in the history.",
	Fix:   "Set `LABEL org.opencontainers.image.base.name=<image:tag> org.opencontainers.image.base.digest=<digest>` in the final stage (several build tools add them automatically).",
	Bad:   "FROM debian:12-slim\nCOPY app /app",
	Good:  "FROM debian:12-slim\nLABEL org.opencontainers.image.base.name=docker.io/library/debian:12-slim\nCOPY app /app",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.2"}},
	References: []string{
		"https://github.com/opencontainers/image-spec/blob/main/annotations.md#pre-defined-annotation-keys",
	},
	Check: checkBaseUnknown,
}

// baseImage returns the image's base as its labels name it, and where
// that came from.
func baseImage(p *rule.Pass) (name, source string) {
	l := imageOf(p).Config.Labels
	switch {
	case l[labelBaseName] != "":
		return l[labelBaseName], labelBaseName
	case l[labelRefName] != "" && l[labelVersion] != "":
		return l[labelRefName] + ":" + l[labelVersion], labelRefName
	case l[labelBaseDig] != "":
		return l[labelBaseDig], labelBaseDig
	}
	return "", ""
}

func checkBaseUnknown(p *rule.Pass) error {
	if name, _ := baseImage(p); name != "" || len(imageOf(p).Layers) == 0 {
		return nil
	}
	reportConfig(p, "", "the image does not name its base image (no %s label)", labelBaseName)
	return nil
}

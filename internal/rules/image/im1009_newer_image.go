package image

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// maxUpgradesShown bounds the packages named in one message.
const maxUpgradesShown = 10

// IM1009 reports an image (or its base) whose tag now points at a newer
// digest. The engine asks the registry before the rules run (image
// --check-updates) and leaves its verdict on the image; offline runs have
// no verdict and the rule is silent.
var IM1009 = &rule.Rule{
	ID:       "IM1009",
	Slug:     "newer-image-available",
	Title:    "A newer image is published under the same tag",
	Severity: rule.Medium,
	Category: rule.CatBaseImage,
	Rationale: "Publishers rebuild a tag (node:20, debian:12-slim) when their packages get security fixes. An image pinned " +
		"to the digest it was built from keeps every vulnerability fixed since, until someone rebuilds it; knowing how far " +
		"behind it is and which packages the newer digest upgrades tells whether to rebuild now.",
	Fix:  "Rebuild on the current digest of the tag (and update the pinned @sha256 in the Dockerfile), or let Renovate/Dependabot keep the digest current.",
	Bad:  "FROM debian:12-slim@sha256:<digest from three months ago>",
	Good: "FROM debian:12-slim@sha256:<the digest debian:12-slim names today>",
	References: []string{
		"https://docs.docker.com/scout/policy/#up-to-date-base-images",
		"https://github.com/opencontainers/image-spec/blob/main/annotations.md#pre-defined-annotation-keys",
	},
	Check: checkNewerImage,
}

func checkNewerImage(p *rule.Pass) error {
	u := imageOf(p).Update
	if !u.Behind() {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s was taken from %s at %s, which now points at %s", u.Subject, u.Tag, u.Used, u.Current)
	if u.DaysBehind >= 0 {
		fmt.Fprintf(&b, " (%d days newer)", u.DaysBehind)
	}
	if n := len(u.Upgraded); n > 0 {
		shown := u.Upgraded
		if n > maxUpgradesShown {
			shown = shown[:maxUpgradesShown]
		}
		fmt.Fprintf(&b, "; it upgrades %d OS package(s): %s", n, strings.Join(shown, ", "))
		if n > maxUpgradesShown {
			fmt.Fprintf(&b, " and %d more", n-maxUpgradesShown)
		}
	}
	if u.Note != "" {
		b.WriteString("; " + u.Note)
	}
	reportConfig(p, "", "%s", b.String())
	return nil
}

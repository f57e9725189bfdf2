package dockerfile

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// maxUpgradesShown bounds the packages named in one message.
const maxUpgradesShown = 10

// DF1207 reports a base image pinned to a digest its tag no longer names.
// It needs `lint --online`: the engine asks the registry before the rules
// run and leaves the answer on the stage; offline the rule is silent.
var DF1207 = &rule.Rule{
	ID:       "DF1207",
	Slug:     "base-image-outdated",
	Title:    "Pinned base image has a newer build under its tag",
	Severity: rule.Medium,
	Category: rule.CatBaseImage,
	Rationale: "A digest pin makes builds reproducible, and also freezes every vulnerability fixed since: publishers rebuild " +
		"tags such as debian:12-slim when their packages are patched. Knowing that the tag has moved, by how many days, and " +
		"which packages the newer build upgrades tells when to bump the pin.",
	Fix:  "Update the digest to the one the tag names now (`docker buildx imagetools inspect name:tag`), or let Renovate or Dependabot keep it current.",
	Bad:  "FROM debian:12-slim@sha256:<a digest from three months ago>",
	Good: "FROM debian:12-slim@sha256:<the digest debian:12-slim names today>",
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
	},
	Check: checkBaseOutdated,
}

func checkBaseOutdated(p *rule.Pass) error {
	for _, st := range fileOf(p).Stages {
		u := st.Update
		if u == nil || u.Current == "" || u.Current == u.Used {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "base image %s is pinned to %s, but the tag now names %s", u.Tag, u.Used, u.Current)
		if u.DaysBehind >= 0 {
			fmt.Fprintf(&b, " (%d days newer)", u.DaysBehind)
		}
		if n := len(u.Upgraded); n > 0 {
			shown := u.Upgraded[:min(n, maxUpgradesShown)]
			fmt.Fprintf(&b, "; it upgrades %d OS package(s): %s", n, strings.Join(shown, ", "))
			if n > maxUpgradesShown {
				fmt.Fprintf(&b, " and %d more", n-maxUpgradesShown)
			}
		}
		if u.Note != "" {
			b.WriteString("; " + u.Note)
		}
		p.Reportf(st.BaseRange(), "%s", b.String())
	}
	return nil
}

package dockerfile

import (
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1607 catches whole-system upgrades inside a build: apt-get
// upgrade/dist-upgrade/full-upgrade, apk upgrade, yum/dnf update or
// upgrade without package names, zypper update/dist-upgrade/patch and
// pacman -Su. What such a RUN installs depends on the day it ran, and the
// build cache keeps that day's result.
var DF1607 = &rule.Rule{
	ID:       "DF1607",
	Slug:     "upgrade-in-image",
	Title:    "Packages upgraded inside the image",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "An in-image upgrade makes the result depend on when the layer was built rather than on the Dockerfile, so two builds " +
		"of the same commit differ, and a cached upgrade layer silently stops upgrading anything. It also duplicates every upgraded " +
		"file of the base image in a new layer. Security fixes arrive more reliably by rebuilding on a freshly pulled, patched base " +
		"image (`docker build --pull`) and upgrading only the packages that need it, by name.",
	Fix:   "Remove the blanket upgrade and rebuild regularly with `--pull` on a maintained base image; upgrade single packages by name when a fix is needed.",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade && rm -rf /var/lib/apt/lists/*",
	Good:  "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends --only-upgrade openssl \\\n && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "trivy", ID: "DS-0024"}, {Tool: "hadolint", ID: "DL3035"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often",
		"https://github.com/hadolint/hadolint/wiki/DL3035",
	},
	Check: eachRun(false, leanCheckUpgrade),
}

// leanCheckUpgrade reports the first whole-system upgrade of a RUN.
func leanCheckUpgrade(p *rule.Pass, in *df.Instruction) {
	for _, c := range in.Script.Commands {
		if op, ok := c.Package(); ok && op.Upgrade {
			what := op.Tool + " " + op.Sub
			p.Reportf(in.Start(), "`%s` upgrades every installed package; rebuild on a fresh base image instead", what)
			return
		}
	}
}

package dockerfile

import (
	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1607 catches distribution upgrades inside a build: apt-get
// dist-upgrade/full-upgrade, zypper dist-upgrade/dup and dnf/yum
// distro-sync without package names. Such a command may move packages to
// another release and remove or replace what the base image installed, so
// the image is no longer the base it names. A plain upgrade (apt-get
// upgrade, apk upgrade, dnf upgrade) is not reported: Docker's guide no
// longer advises against it, and with regular rebuilds it is how security
// fixes published after the base image was built reach the image.
var DF1607 = &rule.Rule{
	ID:       "DF1607",
	Slug:     "upgrade-in-image",
	Title:    "Distribution upgraded inside the image",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "Docker's best-practices guide used to say \"avoid RUN apt-get upgrade\"; it no longer does (docker/docs#12571, " +
		"2021). It now asks to rebuild images often, with `--no-cache` and a freshly pulled base, so that security fixes " +
		"arrive, and a plain `apt-get upgrade`, `apk upgrade` or `dnf upgrade` in a regularly rebuilt image serves the same " +
		"end; hadolint and Trivy dropped their checks of it for that reason. A distribution upgrade is different: " +
		"`apt-get dist-upgrade` and `full-upgrade`, `zypper dist-upgrade` and `dnf distro-sync` may install packages " +
		"from another release, remove packages the base image ships and replace its libraries, so the image is no longer " +
		"the base it names, its layer duplicates much of the base image, and what it holds depends on the day it was " +
		"built. The base image of the release you want says the same thing reproducibly.",
	Fix: "Base the image on the release you want instead of upgrading the distribution in a RUN; for security fixes use " +
		"the plain upgrade (`apt-get upgrade`) and rebuild often with `docker build --pull --no-cache`.",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade && rm -rf /var/lib/apt/lists/*",
	Good:  "FROM debian:12\nRUN apt-get update && apt-get -y upgrade && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "trivy", ID: "DS-0024"}, {Tool: "hadolint", ID: "DL3035"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often",
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://github.com/docker/docs/pull/12571",
		"https://github.com/hadolint/hadolint/issues/562",
		"https://github.com/hadolint/hadolint/wiki/DL3035",
	},
	Check: eachRun(false, leanCheckUpgrade),
}

// leanDistUpgrades are the subcommands that upgrade a whole distribution
// rather than its packages, by package family.
var leanDistUpgrades = map[string]map[string]bool{
	df.FamilyApt:    {"dist-upgrade": true, "full-upgrade": true},
	df.FamilyZypper: {"dist-upgrade": true, "dup": true},
	df.FamilyRPM:    {"distro-sync": true, "distrosync": true, "dsync": true},
}

// leanCheckUpgrade reports the first distribution upgrade of a RUN, at its
// command.
func leanCheckUpgrade(p *rule.Pass, in *df.Instruction) {
	for _, c := range in.Script.Commands {
		op, ok := c.Package()
		if !ok || !op.Upgrade || !leanDistUpgrades[op.Family][op.Sub] {
			continue
		}
		what := op.Tool + " " + op.Sub
		plain := map[string]string{df.FamilyApt: op.Tool + " upgrade", df.FamilyZypper: "zypper update", df.FamilyRPM: op.Tool + " upgrade"}[op.Family]
		p.Report(rule.Finding{
			Message: "`" + what + "` upgrades the distribution, which may install packages from another release and remove " +
				"or replace what the base image ships; base the image on the release you want",
			Remedy: "Use the base image of the release you want; for security fixes, `" + plain +
				"` with regular `docker build --pull --no-cache` rebuilds keeps the release.",
			Location: rule.Location{Range: in.CmdRange(c)},
		})
		return
	}
}

package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// packageDBs are the package databases of the distributions shipshape
// catalogues, by path or directory.
var packageDBs = []string{"/var/lib/dpkg/status", "/var/lib/dpkg/status.d/", "/var/lib/dpkg/info/", "/lib/apk/db/installed",
	"/var/lib/rpm/", "/usr/lib/sysimage/rpm/"}

func isPackageDB(p string) bool {
	for _, db := range packageDBs {
		if p == strings.TrimSuffix(db, "/") || strings.HasSuffix(db, "/") && strings.HasPrefix(p, db) {
			return true
		}
	}
	return false
}

// RT1113 reports package databases changed in a container after it was
// created: packages installed, upgraded or removed at run time.
var RT1113 = &rule.Rule{
	ID:       "RT1113",
	Slug:     "drift-packages",
	Title:    "Packages installed or changed at run time",
	Severity: rule.Medium,
	Category: rule.CatIntegrity,
	Rationale: "A package installed with `apt-get install` or `apk add` in a running container is software the image's " +
		"SBOM and vulnerability scan never saw, fetched from whatever mirror the container could reach, and gone when " +
		"the container is recreated. It is also what an intruder does first (curl, netcat, compilers).",
	Fix: "Add the packages to the image's Dockerfile instead, rebuild, scan, and recreate the container; mount the root " +
		"filesystem read-only so packages cannot be added at run time.",
	Bad:  "docker exec app apt-get install -y curl   # C /var/lib/dpkg/status",
	Good: "RUN apt-get install -y --no-install-recommends curl   # in the Dockerfile",
	References: []string{
		"https://docs.docker.com/reference/cli/docker/container/diff/",
		"https://docs.docker.com/build/building/best-practices/#apt-get",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			paths := driftPaths(s, func(c container.Change) bool { return isPackageDB(c.Path) })
			if len(paths) > 0 {
				reportFix(p, s.Self, 0, "install what "+who(s)+" needs in its image, rebuild and recreate it",
					"%s has its package database changed since it started (packages installed or removed at run time): %s", who(s), pathList(paths))
			}
		}
		return nil
	},
}

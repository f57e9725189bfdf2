package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1203 reports package managers in the final image.
var IM1203 = &rule.Rule{
	ID:       "IM1203",
	Slug:     "package-manager-in-image",
	Title:    "Package manager present in the final image",
	Severity: rule.Low,
	Category: rule.CatMultiStage,
	Rationale: "A package manager in a running container lets anyone with code execution install tools (compilers, scanners, " +
		"network utilities) from trusted repositories, and its database and caches add size. Production images that " +
		"only run an application need neither apt nor pip at run time.",
	Fix:   "Install dependencies in a build stage and copy the result into a distroless or minimal final stage without the package manager.",
	Bad:   "FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD [\"python\", \"/app/main.py\"]",
	Good:  "FROM python:3.12 AS build\nRUN pip install --target /deps -r requirements.txt\nFROM gcr.io/distroless/python3-debian12\nCOPY --from=build /deps /deps",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://github.com/GoogleContainerTools/distroless",
		"https://docs.docker.com/build/building/multi-stage/",
	},
	Check: checkPackageManager,
}

var packageManagers = []string{"apt", "apt-get", "dpkg", "apk", "yum", "dnf", "microdnf", "rpm", "zypper", "pip", "pip3", "npm", "yarn", "gem"}

func checkPackageManager(p *rule.Pass) error {
	fs := findTools(imageOf(p), packageManagers)
	if len(fs) == 0 {
		return nil
	}
	suggest := "a distroless final stage would drop them"
	if entrypointNeedsShell(imageOf(p)) {
		suggest = "a minimal final stage that installs nothing at run time would drop them"
	}
	reportTools(p, fs, "the final image contains package managers (%s); %s", toolNames(fs), suggest)
	return nil
}

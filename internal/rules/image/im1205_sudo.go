package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1205 reports sudo (or doas) installed in the final image.
var IM1205 = &rule.Rule{
	ID:       "IM1205",
	Slug:     "sudo-installed",
	Title:    "sudo is installed in the image",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "sudo is a setuid-root program whose only purpose is to let a user become root. In a container it undoes the " +
		"point of a non-root USER: a compromised process that finds a sudo rule, a cached credential or a sudo bug is root.",
	Fix:   "Do not install sudo; run the build steps that need root as root and switch USER afterwards, and use gosu or su-exec in an entrypoint that must drop privileges.",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get install -y sudo",
	Good:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates",
	Peers: []rule.Peer{{Tool: "dockle", ID: "DKL-DI-0001"}},
	References: []string{
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0001",
	},
	Check: checkSudoInstalled,
}

func checkSudoInstalled(p *rule.Pass) error {
	fs := findTools(imageOf(p), []string{"sudo", "doas"})
	for _, f := range fs {
		reportFile(p, f.file.Layer, f.path, "%s is installed", f.path)
	}
	return nil
}

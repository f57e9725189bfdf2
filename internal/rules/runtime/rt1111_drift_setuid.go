package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1111 reports setuid or setgid files that appeared or changed in a
// container after it was created.
var RT1111 = &rule.Rule{
	ID:       "RT1111",
	Slug:     "drift-setuid",
	Title:    "Setuid or setgid file added at run time",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "A setuid-root file is a way back to root for any process in the container, and creating one needs root " +
		"(or CAP_FOWNER/CAP_FSETID) in the first place: it is how an intruder who got root once keeps it, and how a " +
		"later unprivileged foothold escalates. An image scan cannot see a file made after start; the container's " +
		"upper layer shows it with its mode.",
	Fix: "Treat the container as compromised until shown otherwise: find what made the file, recreate the container " +
		"from its image, drop CAP_FSETID and CAP_FOWNER (`--cap-drop ALL`), set no-new-privileges and mount the root " +
		"filesystem read-only.",
	Bad:   "docker diff app   # A /tmp/.x (mode 4755, owner root)",
	Good:  "docker run --read-only --cap-drop ALL --security-opt no-new-privileges app:1.4",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.8"}},
	References: []string{
		"https://docs.docker.com/reference/cli/docker/container/diff/",
		"https://man7.org/linux/man-pages/man2/execve.2.html",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if paths := driftPaths(s, container.Change.SetID); len(paths) > 0 {
				reportFix(p, s.Self, 0, "investigate and recreate "+who(s)+" with --cap-drop ALL, no-new-privileges and a read-only root",
					"%s has setuid/setgid files added or changed since it started: %s", who(s), pathList(paths))
			}
		}
		return nil
	},
}

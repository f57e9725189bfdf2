package runtime

import (
	"path"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1105 reports an SSH daemon running inside a container.
var RT1105 = &rule.Rule{
	ID:       "RT1105",
	Slug:     "sshd-running",
	Title:    "SSH daemon running in the container",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "An SSH server in a container is a second way in, with its own keys, passwords and patch level, that " +
		"bypasses the engine's access control and audit (`docker exec` is logged by the daemon). It also means the " +
		"container runs more than one service and a process supervisor as root. Only the live process list shows it.",
	Fix:   "Remove the SSH server from the image and use `docker exec` (or `kubectl exec`) for interactive access.",
	Bad:   "CMD [\"/usr/sbin/sshd\", \"-D\"]",
	Good:  "docker exec -it app sh",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.7"}},
	References: []string{
		"https://docs.docker.com/reference/cli/docker/container/exec/",
		"https://docs.docker.com/reference/cli/docker/container/top/",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range running(p) {
			for _, cmd := range s.Live.Processes {
				f := strings.Fields(cmd)
				if len(f) > 0 && (path.Base(f[0]) == "sshd" || strings.HasPrefix(cmd, "sshd:")) {
					reportFix(p, s.Self, 0, "remove the SSH server from the image of "+who(s)+" and use docker exec",
						"%s runs an SSH daemon (%s)", who(s), cmd)
					break
				}
			}
		}
		return nil
	},
}

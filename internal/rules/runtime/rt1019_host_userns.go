package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1019 reports containers that share the host's user namespace.
var RT1019 = &rule.Rule{
	ID:         "RT1019",
	Slug:       "host-userns",
	Title:      "Container shares the host user namespace",
	Severity:   rule.Medium,
	Category:   rule.CatRuntime,
	Rationale:  "When the daemon runs with user-namespace remapping, root in a container maps to an unprivileged host UID. `userns_mode: host` opts this container out, so its root is the host's root for files on mounted volumes and for any escape.",
	Fix:        "Remove `userns_mode: host` (`--userns host`) so the daemon's user-namespace remapping applies.",
	Bad:        "services:\n  app:\n    image: app:1.4\n    userns_mode: host",
	Good:       "services:\n  app:\n    image: app:1.4",
	Peers:      []rule.Peer{{Tool: "kics", ID: "8af7162d-6c98-482f-868e-0d33fb675ca8"}, {Tool: "cis-docker-1.6.0", ID: "5.31"}},
	References: []string{"https://docs.docker.com/engine/security/userns-remap/"},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if isHost(s.UsernsMode) {
				reportFix(p, at(s, container.KeyUserns), 0, dropFix(s, "userns_mode: host", "--userns host"),
					"%s shares the host's user namespace (%s host): root in the container is root on the host",
					who(s), keyword(s, "userns_mode:", "--userns", "UsernsMode"))
			}
		}
		return nil
	},
}

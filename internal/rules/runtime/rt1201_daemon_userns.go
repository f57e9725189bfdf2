package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1201 reports a daemon that neither runs rootless nor remaps container
// users into an unprivileged range (CIS 2.1, 2.9).
var RT1201 = &rule.Rule{
	ID:       "RT1201",
	Slug:     "daemon-no-user-namespaces",
	Title:    "Daemon runs containers without user namespaces",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "Without user namespaces, root in a container is UID 0 on the host: any escape, mount or device access " +
		"lands as real root. `userns-remap` maps container root to an unprivileged range of host UIDs, and a rootless " +
		"daemon runs everything as the invoking user, so an escape gains only that user's rights.",
	Fix: "Set `\"userns-remap\": \"default\"` in /etc/docker/daemon.json and restart the daemon, or run the daemon " +
		"rootless (dockerd-rootless-setuptool.sh, or rootless podman).",
	Bad:   "{}   # /etc/docker/daemon.json",
	Good:  "{\"userns-remap\": \"default\"}",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.9"}, {Tool: "cis-docker-1.6.0", ID: "2.1"}},
	References: []string{
		"https://docs.docker.com/engine/security/userns-remap/",
		"https://docs.docker.com/engine/security/rootless/",
	},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || d.UserNamespaces || d.Rootless {
			return nil
		}
		reportDaemon(p, d, live.KeyUsernsRemap, 0, "set userns-remap in daemon.json or run the daemon rootless",
			"the %s daemon runs as root without user namespaces: root in a container is root on the host", d.Engine)
		return nil
	},
}

package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1205 reports a Docker daemon that does not default containers to
// no-new-privileges (CIS 2.14).
var RT1205 = &rule.Rule{
	ID:       "RT1205",
	Slug:     "daemon-no-new-privileges",
	Title:    "Daemon does not default to no-new-privileges",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "no-new-privileges stops a process from gaining privileges through setuid files or file capabilities. " +
		"Set daemon-wide, it protects every container, including those started without the option, which is most of " +
		"them; set per container, it is forgotten.",
	Fix:   "Set `\"no-new-privileges\": true` in /etc/docker/daemon.json and restart the daemon.",
	Bad:   "{}   # /etc/docker/daemon.json",
	Good:  "{\"no-new-privileges\": true}",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.14"}},
	References: []string{
		"https://docs.docker.com/reference/cli/dockerd/",
		"https://docs.kernel.org/userspace-api/no_new_privs.html",
	},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || d.Engine != "docker" || d.NoNewPrivileges {
			return nil
		}
		reportDaemon(p, d, live.KeyNoNewPrivileges, 0, "set \"no-new-privileges\": true in daemon.json",
			"the daemon does not set no-new-privileges by default: containers started without it can gain privileges through setuid files")
		return nil
	},
}

package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1202 reports unrestricted traffic between containers on the default
// bridge (CIS 2.2).
var RT1202 = &rule.Rule{
	ID:       "RT1202",
	Slug:     "daemon-icc-enabled",
	Title:    "Containers on the default bridge can all talk",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "With inter-container communication on (the default), every container on the default `bridge` network " +
		"reaches every port of every other one: one compromised container can probe and attack the databases and " +
		"admin ports of all the rest. With `icc` off, only published ports and explicit links connect them; user-" +
		"defined networks keep working as declared.",
	Fix:   "Set `\"icc\": false` in /etc/docker/daemon.json (or `--icc=false`) and restart the daemon; put services that must talk on a user-defined network.",
	Bad:   "{}   # /etc/docker/daemon.json",
	Good:  "{\"icc\": false}",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.2"}},
	References: []string{
		"https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge",
		"https://docs.docker.com/reference/cli/dockerd/",
	},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || !d.ICCKnown || !d.ICC {
			return nil
		}
		reportDaemon(p, d, live.KeyICC, 0, "set \"icc\": false in daemon.json and restart the daemon",
			"inter-container communication is enabled on the default bridge: every container there reaches every other")
		return nil
	},
}

package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1018 reports containers that share the host's UTS namespace.
var RT1018 = &rule.Rule{
	ID:         "RT1018",
	Slug:       "host-uts",
	Title:      "Container shares the host UTS namespace",
	Severity:   rule.Medium,
	Category:   rule.CatRuntime,
	Rationale:  "In the host's UTS namespace the container can change the host's hostname and NIS domain name (with SYS_ADMIN), which other services on the host and in logs rely on to identify the machine. Isolation costs nothing here.",
	Fix:        "Remove `uts: host` (`--uts host`); set `hostname:` if the service needs a particular name.",
	Bad:        "services:\n  app:\n    image: app:1.4\n    uts: host",
	Good:       "services:\n  app:\n    image: app:1.4",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.21"}},
	References: []string{"https://docs.docker.com/reference/cli/docker/container/run/#uts"},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if isHost(s.UtsMode) {
				reportFix(p, at(s, container.KeyUts), 0, dropFix(s, "uts: host", "--uts host")+"; set `hostname:` if it needs a name",
					"%s shares the host's UTS namespace (%s host): it shares the host's hostname",
					who(s), keyword(s, "uts:", "--uts", "UTSMode"))
			}
		}
		return nil
	},
}

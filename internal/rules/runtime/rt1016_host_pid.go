package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1016 reports containers that share the host's PID namespace.
var RT1016 = &rule.Rule{
	ID:         "RT1016",
	Slug:       "host-pid",
	Title:      "Container shares the host PID namespace",
	Severity:   rule.High,
	Category:   rule.CatRuntime,
	Rationale:  "In the host's PID namespace the container sees every process of the host with its command line and environment (often holding secrets), can signal them, and with SYS_PTRACE attach to them. Tools that need this (node exporters, debuggers) are the exception, not the rule.",
	Fix:        "Remove `pid: host` (`--pid host`); share another container's namespace with `pid: service:<name>` when one service really must see another.",
	Bad:        "services:\n  app:\n    image: app:1.4\n    pid: host",
	Good:       "services:\n  app:\n    image: app:1.4",
	Peers:      []rule.Peer{{Tool: "kics", ID: "4f31dd9f-2cc3-4751-9b53-67e4af83dac0"}, {Tool: "cis-docker-1.6.0", ID: "5.16"}},
	References: []string{"https://docs.docker.com/reference/cli/docker/container/run/#pid"},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if isHost(s.PidMode) {
				reportFix(p, at(s, container.KeyPid), 0, dropFix(s, "pid: host", "--pid host"),
					"%s shares the host's PID namespace (%s host): it sees and can signal every host process",
					who(s), keyword(s, "pid:", "--pid", "PidMode"))
			}
		}
		return nil
	},
}

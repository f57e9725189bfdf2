package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1015 reports containers that share the host's network namespace.
var RT1015 = &rule.Rule{
	ID:       "RT1015",
	Slug:     "host-network",
	Title:    "Container shares the host network namespace",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "With the host's network namespace the container sees every interface of the host, can bind any host port, " +
		"reach services listening only on localhost (the Docker API on tcp://127.0.0.1, cloud metadata proxies, databases) " +
		"and, with NET_RAW or NET_ADMIN, sniff or reconfigure host traffic. Port publishing and network isolation no longer " +
		"apply.",
	Fix:   "Remove `network_mode: host` (`--network host`) and publish the ports the service needs, bound to a specific address.",
	Bad:   "services:\n  web:\n    image: nginx:1.27\n    network_mode: host",
	Good:  "services:\n  web:\n    image: nginx:1.27\n    ports: [\"127.0.0.1:8080:8080\"]",
	Peers: []rule.Peer{{Tool: "kics", ID: "071a71ff-f868-47a4-ac0b-3c59e4ab5443"}, {Tool: "cis-docker-1.6.0", ID: "5.10"}},
	References: []string{
		"https://docs.docker.com/engine/network/drivers/host/",
		"https://docs.docker.com/reference/compose-file/services/#network_mode",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if isHost(s.NetworkMode) {
				reportFix(p, at(s, container.KeyNetworkMode), 0, dropFix(s, "network_mode: host", "--network host")+"; publish the ports it serves, bound to an address",
					"%s shares the host's network namespace (%s host)",
					who(s), keyword(s, "network_mode:", "--network", "NetworkMode"))
			}
		}
		return nil
	},
}

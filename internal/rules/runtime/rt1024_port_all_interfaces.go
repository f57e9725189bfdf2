package runtime

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1024 reports ports published on every host interface.
var RT1024 = &rule.Rule{
	ID:       "RT1024",
	Slug:     "port-on-all-interfaces",
	Title:    "Port published on all host interfaces",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "A port published without a host address listens on every interface of the host, including public ones, and " +
		"Docker's iptables rules let traffic in ahead of host firewalls such as ufw. A development database or admin UI " +
		"meant for localhost becomes reachable from the network. Binding to 127.0.0.1 (or a specific interface) makes the " +
		"exposure deliberate.",
	Fix:   "Prefix the mapping with the address to listen on: `127.0.0.1:8080:80`, or the host's private or proxy-facing address.",
	Bad:   "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"",
	Good:  "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"127.0.0.1:8080:80\"",
	Peers: []rule.Peer{{Tool: "kics", ID: "451d79dc-0588-476a-ad03-3c7f0320abb3"}, {Tool: "cis-docker-1.6.0", ID: "5.14"}},
	References: []string{
		"https://docs.docker.com/engine/network/packet-filtering-firewalls/#setting-the-default-bind-address-for-containers",
		"https://docs.docker.com/reference/compose-file/services/#ports",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, g := range portGroups(s) {
				pt := g.ports[0]
				if !allInterfaces(pt) {
					continue
				}
				host := "a random port"
				if pt.HostPort != "" {
					host = "port " + pt.HostPort
					if len(g.ports) > 1 {
						host = fmt.Sprintf("%d ports", len(g.ports))
					}
				}
				report(p, portsPos(s, pt), 0, "%s publishes %s on all host interfaces (%s); bind it to 127.0.0.1 or a specific address",
					who(s), g.desc(), host)
			}
		}
		return nil
	},
}

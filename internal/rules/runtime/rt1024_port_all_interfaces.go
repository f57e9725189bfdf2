package runtime

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/container"
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
	Levels: []rule.Level{{Severity: rule.Low, When: "when the host port is one a public server is reached on (HTTP 80 and 443, " +
		"mail 25, 465, 587, 993, 995), which is often published on every interface on purpose"}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, g := range portGroups(s) {
				pt := g.ports[0]
				if !allInterfaces(pt) {
					continue
				}
				host := "a random port"
				if len(g.ports) > 1 {
					host = "random ports"
				}
				if pt.HostPort != "" {
					host = "port " + pt.HostPort
					if len(g.ports) > 1 {
						host = fmt.Sprintf("%d ports", len(g.ports))
					}
				}
				if hp, _, ok := portRange(pt.HostPort); ok && len(g.ports) == 1 && publicPorts[hp] {
					reportFix(p, portsPos(s, pt), rule.Low, "if "+who(s)+" is not meant to be public, "+bindFix(s, g),
						"%s publishes %s on all host interfaces (port %d, where a public server is reached); bind it to an address unless it is public",
						who(s), g.desc(), hp)
					continue
				}
				reportFix(p, portsPos(s, pt), 0, bindFix(s, g),
					"%s publishes %s on all host interfaces (%s); bind it to 127.0.0.1 or a specific address", who(s), g.desc(), host)
			}
		}
		return nil
	},
}

// publicPorts are the host ports public servers are reached on: HTTP and
// HTTPS, and mail transfer, submission and retrieval over TLS.
var publicPorts = map[int]bool{80: true, 443: true, 25: true, 465: true, 587: true, 993: true, 995: true}

// bindFix says how to bind a published port to one address, in the
// spelling of the spec's source.
func bindFix(s *container.Spec, g portGroup) string {
	lo := g
	lo.ports = append([]container.Port(nil), g.ports...)
	for i := range lo.ports {
		lo.ports[i].HostIP = "127.0.0.1"
		if lo.ports[i].HostPort == "" {
			lo.ports[i].HostPort = lo.ports[i].ContainerPort
		}
	}
	switch s.Source {
	case container.SourceDockerRun:
		return fmt.Sprintf("publish it as -p %s (or the host's private or proxy-facing address)", lo.desc())
	case container.SourceInspect:
		return fmt.Sprintf("recreate the container with -p %s (or the host's private or proxy-facing address)", lo.desc())
	}
	return fmt.Sprintf("write the entry as %q, or with the host's private or proxy-facing address (host_ip: in the long syntax)", lo.desc())
}

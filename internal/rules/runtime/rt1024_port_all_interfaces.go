package runtime

import (
	"fmt"
	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"strings"

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
					refused := composeFix(p, s, rule.FixReview, "bind the port to 127.0.0.1", func(pl *composeedit.Plan, _ *composeedit.Service) []rule.Edit {
						pl.Refuse("port %d is where a public server is reached; bind it by hand if it is not meant to be public", hp)
						return nil
					})
					reportWithFixes(p, portsPos(s, pt), rule.Low, "if "+who(s)+" is not meant to be public, "+bindFix(s, g), refused,
						"%s publishes %s on all host interfaces (port %d, where a public server is reached); bind it to an address unless it is public",
						who(s), g.desc(), hp)
					continue
				}
				reportWithFixes(p, portsPos(s, pt), 0, bindFix(s, g), loopbackFix(p, s, pt),
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

// loopbackFix binds a published port to 127.0.0.1: the short syntax gets
// the address in front (a random host port stays random), the long syntax
// a host_ip. It is a review fix: clients on other hosts lose access.
func loopbackFix(p *rule.Pass, s *container.Spec, pt container.Port) []rule.Fix {
	title := fmt.Sprintf("bind %s to 127.0.0.1 (review: only this host can reach it; clients on other hosts lose access)", portDesc(pt))
	return composeFix(p, s, rule.FixReview, title, func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
		it, ok := svc.ItemAt("ports", pt.Where.Range.Line, pt.Where.Range.Col)
		if ok && !it.Map && !shortPortIs(it.Value, pt) {
			// The place recorded may be a sibling entry of the same port
			// (53/tcp for 53/udp): take the entry that publishes it.
			ok = false
			for _, x := range svc.Items("ports") {
				if !x.Map && shortPortIs(x.Value, pt) {
					it, ok = x, true
					break
				}
			}
		}
		switch {
		case !ok:
			pl.Refuse("the ports entry is not written in the service's own ports list")
		case it.Map:
			svc.SetItemField("ports", it.Index, "host_ip", "127.0.0.1")
		default:
			v, err := loopbackPort(it.Value)
			if err != nil {
				pl.Refuse("%v", err)
				return nil
			}
			svc.ReplaceItem("ports", it.Index, v)
		}
		return nil
	})
}

// loopbackPort writes a short-syntax port mapping bound to 127.0.0.1:
// "8080:80" and "0.0.0.0:8080:80" become "127.0.0.1:8080:80", "80" becomes
// "127.0.0.1::80" (the host port stays random). Colons inside ${...} do
// not count.
func loopbackPort(spec string) (string, error) {
	parts := splitPortSpec(spec)
	switch {
	case strings.ContainsAny(spec, "[]") && !strings.HasPrefix(spec, "[::]:"):
		return "", fmt.Errorf("the mapping %q has an IPv6 address the fix does not rewrite", spec)
	case strings.HasPrefix(spec, "[::]:"):
		return "127.0.0.1:" + strings.TrimPrefix(spec, "[::]:"), nil
	case len(parts) == 1:
		return "127.0.0.1::" + spec, nil
	case len(parts) == 2:
		return "127.0.0.1:" + spec, nil
	case len(parts) == 3 && (parts[0] == "" || parts[0] == "0.0.0.0"):
		return "127.0.0.1:" + parts[1] + ":" + parts[2], nil
	}
	return "", fmt.Errorf("the mapping %q is not one the fix understands", spec)
}

// shortPortIs reports whether a short-syntax entry publishes pt on every
// interface: same container port and protocol, no address.
func shortPortIs(spec string, pt container.Port) bool {
	body, proto, _ := strings.Cut(spec, "/")
	if proto == "" {
		proto = "tcp"
	}
	want := strings.ToLower(pt.Protocol)
	if want == "" {
		want = "tcp"
	}
	parts := splitPortSpec(body)
	if len(parts) == 3 && parts[0] != "" && parts[0] != "0.0.0.0" {
		return false
	}
	cp := parts[len(parts)-1]
	lo, _, _ := portRange(cp)
	ptLo, _, _ := portRange(pt.ContainerPort)
	return strings.EqualFold(proto, want) && (cp == pt.ContainerPort || lo == ptLo && lo != 0)
}

// splitPortSpec splits a short-syntax port mapping at its colons, except
// those inside ${...}.
func splitPortSpec(spec string) []string {
	var parts []string
	depth, last := 0, 0
	for i := 0; i < len(spec); i++ {
		switch {
		case strings.HasPrefix(spec[i:], "${"):
			depth++
			i++
		case spec[i] == '}' && depth > 0:
			depth--
		case spec[i] == ':' && depth == 0:
			parts = append(parts, spec[last:i])
			last = i + 1
		}
	}
	return append(parts, spec[last:])
}

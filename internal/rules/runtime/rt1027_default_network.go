package runtime

import (
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1027 reports containers on the default network: a datastore that
// shares a compose project's default network with every other service, or
// a container attached to Docker's default bridge.
var RT1027 = &rule.Rule{
	ID:       "RT1027",
	Slug:     "default-network",
	Title:    "Tiers share the default network",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "Every service left on the default network can reach every other one on every port. When a web-facing service " +
		"is compromised, the database, cache and admin services are one connection away. Separate networks per tier (a " +
		"frontend for the proxy and the application, a backend for the application and the database) limit what a " +
		"compromise can reach. Containers on Docker's default bridge (docker0) additionally share it with every other " +
		"container started without a network.",
	Fix: "Declare networks (for example `frontend` and `backend`), attach each service only to the ones it needs, and " +
		"keep the database on the backend network alone with its clients.",
	Bad:   "services:\n  web:\n    image: web:2.0\n  db:\n    image: postgres:16",
	Good:  "services:\n  web:\n    image: web:2.0\n    networks: [frontend, backend]\n  db:\n    image: postgres:16\n    networks: [backend]\nnetworks:\n  frontend:\n  backend:\n    internal: true",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.30"}},
	References: []string{
		"https://docs.docker.com/compose/how-tos/networking/#specify-custom-networks",
		"https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge",
	},
	Check: func(p *rule.Pass) error {
		var onDefault []*container.Spec
		for _, s := range specs(p) {
			switch s.Source {
			case container.SourceInspect, container.SourceDockerRun:
				m := strings.ToLower(strings.TrimSpace(s.NetworkMode))
				if m == "" || m == "default" || m == "bridge" {
					report(p, at(s, container.KeyNetworkMode), rule.Info, "%s is attached to Docker's default bridge network (docker0), shared with every container started without a network", who(s))
				}
			case container.SourceCompose:
				if s.NetworkMode == "" && onlyDefault(s.Networks) {
					onDefault = append(onDefault, s)
				}
			}
		}
		if len(onDefault) < 2 {
			return nil
		}
		var stores, others []string
		for _, s := range onDefault {
			if isDatastore(s) {
				stores = append(stores, s.Name)
			} else {
				others = append(others, s.Name)
			}
		}
		if len(stores) == 0 || len(others) == 0 {
			return nil
		}
		sort.Strings(others)
		for _, s := range onDefault {
			if isDatastore(s) {
				report(p, at(s, container.KeyNetworks), 0, "%s shares the default network with %s; put it on a backend network with only its clients",
					who(s), joinNames(others))
			}
		}
		return nil
	},
}

// onlyDefault reports whether a service's networks are just the default.
func onlyDefault(nets []string) bool {
	for _, n := range nets {
		if n != "default" {
			return false
		}
	}
	return true
}

package runtime

import (
	"fmt"
	"slices"
	"sort"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1028 reports backend networks that are not internal. A network is a
// backend by who joins it (datastores, and services that have another way
// out), not by its name: "internal" is internal only with internal: true.
var RT1028 = &rule.Rule{
	ID:       "RT1028",
	Slug:     "backend-network-not-internal",
	Title:    "Backend network is not internal",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "A network that only connects the application to its database does not need a route to the internet. " +
		"Without `internal: true` every container on it can open outbound connections, which is how a compromised database " +
		"or a malicious dependency exfiltrates data or fetches a second stage. Internal networks have no gateway. A network " +
		"is judged by its members, not its name: one that a datastore joins, whose other members all have a second " +
		"network, loses nothing by being internal.",
	Fix:  "Set `internal: true` on the network; services that need the internet join a second, non-internal network.",
	Bad:  "networks:\n  backend:\n    driver: bridge",
	Good: "networks:\n  backend:\n    driver: bridge\n    internal: true",
	References: []string{
		"https://docs.docker.com/reference/compose-file/networks/#internal",
	},
	Check: func(p *rule.Pass) error {
		proj := projectOf(p)
		if proj == nil || len(proj.Networks) == 0 {
			return nil
		}
		names := make([]string, 0, len(proj.Networks))
		for n := range proj.Networks {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			n := proj.Networks[name]
			if n == nil || n.Internal || n.External || n.Named {
				// A network other projects join by its name has members
				// this file does not show.
				continue
			}
			stores, others, ok := backendMembers(specs(p), name)
			if !ok {
				continue
			}
			pos := n.Where
			if pos.Range.Line == 0 {
				pos = proj.Where
			}
			why := "it only joins datastores (" + joinNames(stores) + ")"
			if len(others) > 0 {
				why = "it only links datastores (" + joinNames(stores) + ") to services that reach the internet over another network (" + joinNames(others) + ")"
			}
			reportFix(p, pos, 0, fmt.Sprintf("set `internal: true` on network %q", name),
				"network %q is not internal: true although %s, so its datastores can reach the internet", name, why)
		}
		return nil
	},
}

// backendMembers judges a network by who is on it, never by its name: it
// is a backend network when a datastore joins it and making it internal
// cuts nobody off. Every other member also joins a network without
// datastores (its way out, which stays as it is), and no datastore that
// publishes ports has it as its only network (ports are not published
// from an internal network). ok is false when it is not such a network.
func backendMembers(all []*container.Spec, name string) (stores, others []string, ok bool) {
	hasStore := map[string]bool{}
	for _, s := range all {
		if s.NetworkMode == "" && isDatastore(s) {
			for _, n := range netsOf(s) {
				hasStore[n] = true
			}
		}
	}
	for _, s := range all {
		if s.NetworkMode != "" || s.Partial || !slices.Contains(netsOf(s), name) {
			continue
		}
		if isDatastore(s) {
			if len(netsOf(s)) == 1 && len(s.Ports) > 0 {
				return nil, nil, false
			}
			stores = append(stores, s.Name)
			continue
		}
		wayOut := false
		for _, n := range netsOf(s) {
			wayOut = wayOut || !hasStore[n]
		}
		if !wayOut {
			return nil, nil, false
		}
		others = append(others, s.Name)
	}
	return stores, others, len(stores) > 0
}

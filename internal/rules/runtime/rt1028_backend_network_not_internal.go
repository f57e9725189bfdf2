package runtime

import (
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1028 reports backend networks that are not internal.
var RT1028 = &rule.Rule{
	ID:       "RT1028",
	Slug:     "backend-network-not-internal",
	Title:    "Backend network is not internal",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "A network that only connects the application to its database does not need a route to the internet. " +
		"Without `internal: true` every container on it can open outbound connections, which is how a compromised database " +
		"or a malicious dependency exfiltrates data or fetches a second stage. Internal networks have no gateway.",
	Fix:  "Set `internal: true` on the network; services that need the internet join a second, non-internal network.",
	Bad:  "networks:\n  backend:\n    driver: bridge",
	Good: "networks:\n  backend:\n    driver: bridge\n    internal: true",
	References: []string{
		"https://docs.docker.com/reference/compose-file/networks/#internal",
	},
	Check: func(p *rule.Pass) error {
		if projectOf(p) == nil || len(projectOf(p).Networks) == 0 {
			return nil
		}
		members := map[string][]string{}
		datastores := map[string]int{}
		for _, s := range specs(p) {
			for _, n := range s.Networks {
				members[n] = append(members[n], s.Name)
				if isDatastore(s) {
					datastores[n]++
				}
			}
		}
		names := make([]string, 0, len(projectOf(p).Networks))
		for n := range projectOf(p).Networks {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			n := projectOf(p).Networks[name]
			if n == nil || n.Internal || n.External || len(members[name]) == 0 {
				continue
			}
			named := backendName(name)
			allStores := datastores[name] == len(members[name])
			if !named && !allStores {
				continue
			}
			why := "its name says it is a backend network"
			if allStores {
				why = "only datastores (" + joinNames(members[name]) + ") use it"
			}
			pos := n.Where
			if pos.Range.Line == 0 {
				pos = projectOf(p).Where
			}
			report(p, pos, 0, "network %q is not internal: true although %s, so its containers can reach the internet", name, why)
		}
		return nil
	},
}

// backendName reports whether a network's name marks it as a backend tier.
func backendName(n string) bool {
	n = strings.ToLower(n)
	for _, w := range []string{"backend", "back-end", "back_end", "internal", "private", "database", "db", "data", "storage"} {
		if n == w || strings.HasPrefix(n, w+"-") || strings.HasPrefix(n, w+"_") || strings.HasSuffix(n, "-"+w) || strings.HasSuffix(n, "_"+w) {
			return true
		}
	}
	return false
}

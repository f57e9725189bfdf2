package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1208 reports registries the daemon pulls from without TLS
// verification (CIS 2.5).
var RT1208 = &rule.Rule{
	ID:       "RT1208",
	Slug:     "daemon-insecure-registry",
	Title:    "Daemon trusts insecure registries",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "An insecure registry is reached over plain HTTP or with unverified certificates: anyone on the path " +
		"can serve a different image under the same name, and the daemon will run it. Tags are not signatures, so " +
		"nothing downstream notices.",
	Fix:        "Remove the entries from `insecure-registries` in daemon.json and give those registries real TLS certificates (or add their CA under /etc/docker/certs.d/).",
	Bad:        "{\"insecure-registries\": [\"registry.internal:5000\"]}",
	Good:       "{}   # CA in /etc/docker/certs.d/registry.internal:5000/ca.crt",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.5"}},
	References: []string{"https://docs.docker.com/reference/cli/dockerd/#insecure-registries"},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || len(d.InsecureRegistries) == 0 {
			return nil
		}
		reportDaemon(p, d, live.KeyInsecureRegistries, 0, "remove the insecure registries from daemon.json and give them TLS",
			"the daemon pulls from %s without TLS verification", strings.Join(d.InsecureRegistries, ", "))
		return nil
	},
}

package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// RT1210 reports an audit run without Docker Content Trust enabled in the
// environment (CIS 4.5).
var RT1210 = &rule.Rule{
	ID:       "RT1210",
	Slug:     "content-trust-disabled",
	Title:    "Docker Content Trust is not enabled",
	Severity: rule.Low,
	Category: rule.CatIntegrity,
	Rationale: "With DOCKER_CONTENT_TRUST=1 the docker client only pulls and runs signed tags; without it, any image " +
		"a registry serves under a tag is taken. The CIS benchmark checks the variable in the environment of the hosts " +
		"that run containers. Image signature verification (cosign, `shipshape verify`) is the modern equivalent; this " +
		"rule reports the client setting the benchmark asks for.",
	Fix:        "Export DOCKER_CONTENT_TRUST=1 in the environment that runs docker (e.g. /etc/environment), or verify signatures with cosign before deploying.",
	Bad:        "docker pull app:1.4",
	Good:       "DOCKER_CONTENT_TRUST=1 docker pull app:1.4",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.5"}},
	References: []string{"https://docs.docker.com/engine/security/trust/"},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || d.Engine != "docker" || d.ContentTrust {
			return nil
		}
		reportFix(p, d.Self, 0, "export DOCKER_CONTENT_TRUST=1 where containers are pulled and run",
			"DOCKER_CONTENT_TRUST is not 1 in this environment: unsigned images are pulled and run")
		return nil
	},
}

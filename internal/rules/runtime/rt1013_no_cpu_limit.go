package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1013 reports containers without a CPU limit.
var RT1013 = &rule.Rule{
	ID:       "RT1013",
	Slug:     "no-cpu-limit",
	Title:    "No CPU limit",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "Without a CPU limit one busy or compromised container (a crypto miner is the usual payload) can take every " +
		"core of the host and starve the other services. A limit keeps the host responsive and makes abuse visible as " +
		"throttling.",
	Fix:   "Set `deploy.resources.limits.cpus` (or `cpus`, `--cpus`) to the share of the host the service may use.",
	Bad:   "services:\n  worker:\n    image: worker:1.8",
	Good:  "services:\n  worker:\n    image: worker:1.8\n    deploy:\n      resources:\n        limits:\n          cpus: \"1.0\"",
	Peers: []rule.Peer{{Tool: "kics", ID: "6b610c50-99fb-4ef0-a5f3-e312fd945bc3"}, {Tool: "cis-docker-1.6.0", ID: "5.12"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/deploy/#resources",
		"https://docs.docker.com/engine/containers/resource_constraints/#cpu",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.NanoCPUs > 0 {
				continue
			}
			if s.Unresolved[container.KeyCPUs] {
				continue // set from a variable left unset here
			}
			if has(s, container.KeyCPUs) {
				report(p, at(s, container.KeyCPUs), 0, "%s sets its CPU limit to 0, which means unlimited", who(s))
				continue
			}
			if s.Partial {
				continue
			}
			report(p, at(s, keyDeployLimits, keyDeployResources, keyDeploy), 0, "%s has no CPU limit (%s)",
				who(s), keyword(s, "deploy.resources.limits.cpus or cpus", "--cpus", "HostConfig.NanoCpus is 0"))
		}
		return nil
	},
}

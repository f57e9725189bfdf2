package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1012 reports containers without a memory limit.
var RT1012 = &rule.Rule{
	ID:       "RT1012",
	Slug:     "no-memory-limit",
	Title:    "No memory limit",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "A container without a memory limit can use all of the host's memory; a leak, a large request or an attack " +
		"then triggers the kernel's OOM killer on other containers or host processes. A limit confines the damage to the " +
		"container that misbehaves.",
	Fix:   "Set `deploy.resources.limits.memory` (or `mem_limit`, `--memory`) to what the service needs with some headroom.",
	Bad:   "services:\n  api:\n    image: api:3.2",
	Good:  "services:\n  api:\n    image: api:3.2\n    deploy:\n      resources:\n        limits:\n          memory: 512M",
	Peers: []rule.Peer{{Tool: "kics", ID: "bb9ac4f7-e13b-423d-a010-c74a1bfbe492"}, {Tool: "cis-docker-1.6.0", ID: "5.11"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/deploy/#resources",
		"https://docs.docker.com/engine/containers/resource_constraints/#memory",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.MemoryBytes > 0 {
				continue
			}
			if s.Unresolved[container.KeyMemory] {
				continue // set from a variable left unset here
			}
			if has(s, container.KeyMemory) {
				report(p, at(s, container.KeyMemory), 0, "%s sets its memory limit to 0, which means unlimited", who(s))
				continue
			}
			if s.Partial {
				continue
			}
			reportWithFixes(p, at(s, keyDeployLimits, keyDeployResources, keyDeploy), 0, "", memoryFix(p, s), "%s has no memory limit (%s)",
				who(s), keyword(s, "deploy.resources.limits.memory or mem_limit", "--memory", "HostConfig.Memory is 0"))
		}
		return nil
	},
}

// memoryLimit is the limit the fix sets: enough for most services, and a
// bound on a runaway one. The title says to raise it where it is not.
const memoryLimit = "1g"

// memoryFix adds a memory limit where the file keeps its limits: in
// deploy.resources.limits when the service has that mapping, else
// mem_limit (which every compose version and docker-compose v1 accept).
// It is a review fix: a service that needs more is killed by the kernel's
// OOM killer.
func memoryFix(p *rule.Pass, s *container.Spec) []rule.Fix {
	return composeFix(p, s, rule.FixReview, "limit memory to 1 GiB (review: raise it if the service needs more; over the limit it is killed)",
		func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
			if has(s, keyDeployLimits) && svc.Has("deploy") {
				svc.AddKeyAt(composeedit.AtStart, []string{"deploy", "resources", "limits"}, "memory", composeedit.Raw(memoryLimit))
				return nil
			}
			svc.AddKey(nil, "mem_limit", composeedit.Raw(memoryLimit))
			return nil
		})
}

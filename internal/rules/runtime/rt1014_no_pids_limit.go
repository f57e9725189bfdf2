package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1014 reports containers without a process-count limit.
var RT1014 = &rule.Rule{
	ID:       "RT1014",
	Slug:     "no-pids-limit",
	Title:    "No limit on the number of processes",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "A fork bomb or a runaway worker pool in a container without a pids limit exhausts the host's process table, " +
		"and then nothing on the host can start a process, the Docker daemon included. A pids limit turns that into a " +
		"failure inside the one container.",
	Fix:   "Set `pids_limit: 256` (`--pids-limit 256`, or `deploy.resources.limits.pids`) to a bound that fits the service.",
	Bad:   "services:\n  api:\n    image: api:3.2\n    pids_limit: -1",
	Good:  "services:\n  api:\n    image: api:3.2\n    pids_limit: 256",
	Peers: []rule.Peer{{Tool: "kics", ID: "221e0658-cb2a-44e3-b08a-db96a341d6fa"}, {Tool: "cis-docker-1.6.0", ID: "5.29"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#pids_limit",
		"https://docs.docker.com/reference/cli/docker/container/run/#pids-limit",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.PidsLimit > 0 {
				continue
			}
			if s.Unresolved[container.KeyPids] {
				continue // set from a variable left unset here
			}
			if has(s, container.KeyPids) {
				report(p, at(s, container.KeyPids), 0, "%s sets no positive pids_limit (0 and -1 mean unlimited)", who(s))
				continue
			}
			if s.Partial {
				continue
			}
			reportWithFixes(p, at(s, keyDeployLimits, keyDeployResources, keyDeploy), 0, "", pidsFix(p, s), "%s has no limit on the number of processes (%s)",
				who(s), keyword(s, "pids_limit", "--pids-limit", "HostConfig.PidsLimit"))
		}
		return nil
	},
}

// pidsLimit is the process limit the fix sets: far above what a service
// runs, far below what a fork bomb reaches.
const pidsLimit = "512"

// pidsFix adds pids_limit (docker-compose v1 knows no limits.pids, so the
// service-level key is the one every tool reads). It is a review fix: a
// service that forks more processes than that fails to.
func pidsFix(p *rule.Pass, s *container.Spec) []rule.Fix {
	return composeFix(p, s, rule.FixReview, "limit the number of processes to 512 (review: raise it if the service runs more; forks beyond it fail)",
		func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
			if pl.V1() {
				pl.Refuse("a version 1 compose file has no pids_limit key")
				return nil
			}
			svc.AddKey(nil, "pids_limit", composeedit.Raw(pidsLimit))
			return nil
		})
}

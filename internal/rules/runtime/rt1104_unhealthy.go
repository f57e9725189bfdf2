package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// restartsReported is the restart count from which a container is
// reported as restarting repeatedly.
const restartsReported = 5

// RT1104 reports a container its engine sees failing: its healthcheck
// says unhealthy, or it has been restarted again and again.
var RT1104 = &rule.Rule{
	ID:       "RT1104",
	Slug:     "unhealthy-or-restarting",
	Title:    "Container unhealthy or restarting repeatedly",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "An unhealthy container still receives traffic unless something acts on its health, and a container in a " +
		"restart loop hides a crash behind the restart policy: each restart reruns its entrypoint, may replay " +
		"migrations, and floods the logs. Both are only visible on the live engine (`State.Health.Status`, " +
		"`RestartCount`) and both usually mean the service is down while its configuration looks fine.",
	Fix: "Read the failing probes (`docker inspect --format '{{json .State.Health}}'`) and the logs of the last runs, fix " +
		"the cause, and bound restarts (`on-failure:5`).",
	Bad:   "State.Health.Status: unhealthy, FailingStreak: 12",
	Good:  "State.Health.Status: healthy, RestartCount: 0",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.27"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#healthcheck",
		"https://docs.docker.com/engine/containers/start-containers-automatically/",
	},
	Levels: []rule.Level{{Severity: rule.Low, When: "for a container restarted 5 times or more whose healthcheck does not say unhealthy"}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			lv := s.Live
			if lv == nil {
				continue
			}
			fix := "read the health log and last runs of " + who(s) + " and fix what fails"
			switch {
			case lv.Health == "unhealthy":
				reportFix(p, s.Self, 0, fix, "%s is unhealthy (%d failing probes in a row, restarted %d times)", who(s), lv.FailingStreak, lv.RestartCount)
			case lv.RestartCount >= restartsReported:
				reportFix(p, s.Self, rule.Low, fix, "%s has been restarted %d times", who(s), lv.RestartCount)
			}
		}
		return nil
	},
}

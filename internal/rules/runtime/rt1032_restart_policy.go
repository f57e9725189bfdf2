package runtime

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1032 reports restart policies that restart forever, and compose
// services with none.
var RT1032 = &rule.Rule{
	ID:       "RT1032",
	Slug:     "restart-policy-unbounded",
	Title:    "Restart policy missing or unbounded",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "A container that crashes on start and is restarted forever (`always`, `unless-stopped`, `on-failure` " +
		"without a limit) loops, burns CPU, floods the logs and hides the failure; an attacker who can crash it gets a " +
		"denial of service for free. CIS recommends `on-failure` with at most 5 retries; a service with no policy at all " +
		"stays down after a crash or a host reboot.",
	Fix:      "Use `restart: on-failure:5` (`--restart on-failure:5`, or `deploy.restart_policy` with `max_attempts: 5`).",
	Bad:      "services:\n  api:\n    image: api:3.2\n    restart: always",
	Good:     "services:\n  api:\n    image: api:3.2\n    restart: on-failure:5",
	Settings: []rule.Setting{{Name: "max-retries", Type: "int", Default: 5, Doc: "highest on-failure retry count accepted"}},
	Peers:    []rule.Peer{{Tool: "kics", ID: "2fc99041-ddad-49d5-853f-e35e70a48391"}, {Tool: "cis-docker-1.6.0", ID: "5.15"}},
	References: []string{
		"https://docs.docker.com/engine/containers/start-containers-automatically/",
		"https://docs.docker.com/reference/compose-file/services/#restart",
	},
	Levels: []rule.Level{{Severity: rule.Info, When: "for a compose service with no restart policy: it stays down after a crash, " +
		"which is an availability concern rather than a weakness"}},
	Check: func(p *rule.Pass) error {
		limit := p.Settings.Int("max-retries")
		if limit <= 0 {
			limit = 5
		}
		for _, s := range specs(p) {
			r := s.Restart
			pos := orSelf(s, r.Where)
			if r.Where.Range.Line == 0 {
				pos = at(s, container.KeyRestart)
			}
			fix := fmt.Sprintf("use %s on %s", keyword(s, fmt.Sprintf("`restart: on-failure:%d`", limit), fmt.Sprintf("--restart on-failure:%d", limit),
				fmt.Sprintf("a restart policy of on-failure:%d (docker update --restart)", limit)), who(s))
			switch name := strings.ToLower(strings.TrimSpace(r.Name)); name {
			case "", "no":
				if s.Source == container.SourceCompose && !has(s, container.KeyRestart) && !s.Partial {
					reportFix(p, s.Self, rule.Info, fix, "%s has no restart policy; use on-failure:%d so it recovers from crashes without looping", who(s), limit)
				}
			case "always", "unless-stopped":
				reportFix(p, pos, 0, fix+" instead of "+name, "%s restarts %s without limit; use on-failure:%d", who(s), name, limit)
			case "on-failure":
				if r.MaxRetries <= 0 {
					reportFix(p, pos, 0, fix, "%s restarts on failure without a retry limit; use on-failure:%d", who(s), limit)
				} else if r.MaxRetries > limit {
					reportFix(p, pos, 0, fix, "%s retries %d times on failure, more than %d", who(s), r.MaxRetries, limit)
				}
			}
		}
		return nil
	},
}

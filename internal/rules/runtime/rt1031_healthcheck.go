package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1031 reports containers whose health is not checked: a healthcheck
// disabled on purpose, or none configured.
var RT1031 = &rule.Rule{
	ID:       "RT1031",
	Slug:     "healthcheck-disabled",
	Title:    "Healthcheck disabled or not configured",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "Without a healthcheck Docker only knows whether the process exists, not whether it answers. A hung or " +
		"half-started service keeps receiving traffic, `depends_on: condition: service_healthy` cannot wait for it, and " +
		"orchestrators never replace it. Disabling the image's own HEALTHCHECK throws that signal away.",
	Fix:   "Remove `disable: true` / `test: [\"NONE\"]` (`--no-healthcheck`) and configure a `healthcheck` that probes the service, e.g. an HTTP readiness endpoint.",
	Bad:   "services:\n  api:\n    image: api:3.2\n    healthcheck:\n      disable: true",
	Good:  "services:\n  api:\n    image: api:3.2\n    healthcheck:\n      test: [\"CMD\", \"/app/healthcheck\"]\n      interval: 30s",
	Peers: []rule.Peer{{Tool: "kics", ID: "698ed579-b239-4f8f-a388-baa4bcb13ef8"}, {Tool: "cis-docker-1.6.0", ID: "5.27"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#healthcheck",
		"https://docs.docker.com/reference/dockerfile/#healthcheck",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			hc := s.Healthcheck
			if hc == nil {
				switch s.Source {
				case container.SourceInspect:
					report(p, s.Self, rule.Low, "%s has no healthcheck: neither the image nor the run configured one", who(s))
				case container.SourceCompose:
					report(p, s.Self, rule.Info, "%s configures no healthcheck; fine if its image defines HEALTHCHECK", who(s))
				}
				continue
			}
			if hc.Disabled || (len(hc.Test) > 0 && strings.EqualFold(strings.TrimSpace(hc.Test[0]), "NONE")) {
				pos := at(s, keyHealthDisable, keyHealthTest)
				if !has(s, keyHealthDisable) && !has(s, keyHealthTest) && hc.Where.Range.Line > 0 {
					pos = hc.Where
				} else if pos == s.Self {
					pos = at(s, container.KeyHealthcheck)
				}
				report(p, pos, 0, "%s disables its healthcheck, so a hung service is never detected", who(s))
			}
		}
		return nil
	},
}

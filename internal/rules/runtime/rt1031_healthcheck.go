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
	Levels: []rule.Level{
		{Severity: rule.Low, When: "for an inspected container that has no healthcheck at all (neither its image nor its run configured one)"},
		{Severity: rule.Info, When: "for a compose service that configures none: its image may define HEALTHCHECK, which compose keeps"},
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			hc := s.Healthcheck
			if hc == nil {
				fix := "add a healthcheck to " + who(s) + " that probes it (e.g. an HTTP readiness endpoint)"
				switch {
				case s.Source == container.SourceInspect:
					reportFix(p, s.Self, rule.Low, fix+", in its image (HEALTHCHECK) or its run (--health-cmd)",
						"%s has no healthcheck: neither the image nor the run configured one", who(s))
				case s.Source == container.SourceCompose && !s.Partial:
					reportFix(p, s.Self, rule.Info, fix+", unless its image defines HEALTHCHECK",
						"%s configures no healthcheck; fine if its image defines HEALTHCHECK", who(s))
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
				reportFix(p, pos, 0, keyword(s, "remove the disabled healthcheck of "+who(s), "drop --no-healthcheck", "recreate "+who(s)+" without --no-healthcheck")+
					" and configure one that probes it", "%s disables its healthcheck, so a hung service is never detected", who(s))
			}
		}
		return nil
	},
}

package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1035 reports ulimits raised to unlimited or far above the daemon's
// defaults.
var RT1035 = &rule.Rule{
	ID:       "RT1035",
	Slug:     "ulimit-raised",
	Title:    "Ulimit raised above a safe bound",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "Ulimits are a last bound on what one container can take from the host: open files, processes per user, " +
		"locked memory, core dump size. Setting them to unlimited, or far above the daemon's defaults, lets a runaway or " +
		"malicious process exhaust kernel resources shared with everything else on the host (file table, process table, " +
		"unswappable memory) or write huge core dumps.",
	Fix:   "Keep the daemon's default ulimits, or raise only the one the service documents needing, to a finite value.",
	Bad:   "services:\n  db:\n    image: mongo:7\n    ulimits:\n      nproc: -1",
	Good:  "services:\n  db:\n    image: mongo:7\n    ulimits:\n      nofile:\n        soft: 64000\n        hard: 64000",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.19"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#ulimits",
		"https://docs.docker.com/reference/cli/docker/container/run/#ulimit",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, u := range s.Ulimits {
				name := strings.ToLower(strings.TrimSpace(u.Name))
				max, known := ulimitBounds[name]
				hard := u.Hard
				if hard == 0 {
					hard = u.Soft
				}
				pos := orSelf(s, u.Where)
				if u.Where.Range.Line == 0 {
					pos = at(s, container.KeyUlimits)
				}
				switch {
				case hard < 0 || u.Soft < 0:
					report(p, pos, 0, "%s sets ulimit %s to unlimited", who(s), name)
				case known && hard > max:
					report(p, pos, 0, "%s raises ulimit %s to %d, above %d", who(s), name, hard, max)
				}
			}
		}
		return nil
	},
}

// ulimitBounds are the highest values accepted without a finding: the
// daemon's default hard limits, or what busy servers commonly need.
var ulimitBounds = map[string]int64{
	"nofile":     1048576,
	"nproc":      65535,
	"memlock":    64 << 20,
	"core":       0,
	"sigpending": 1 << 20,
	"msgqueue":   64 << 20,
}

package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1206 reports a daemon without a default seccomp profile (CIS 2.17).
var RT1206 = &rule.Rule{
	ID:       "RT1206",
	Slug:     "daemon-seccomp-disabled",
	Title:    "Daemon applies no default seccomp profile",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "The daemon's default seccomp profile is what filters system calls for every container that does not " +
		"bring its own. A daemon built or configured without it (`seccomp-profile: unconfined`, no seccomp in " +
		"`docker info`) runs every container with the whole kernel interface open to it.",
	Fix:        "Remove `seccomp-profile: unconfined` from daemon.json (or point it at a real profile) on an engine built with seccomp, and restart the daemon.",
	Bad:        "{\"seccomp-profile\": \"unconfined\"}",
	Good:       "{}   # the built-in default profile",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.17"}},
	References: []string{"https://docs.docker.com/engine/security/seccomp/"},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil {
			return nil
		}
		fix := "run the daemon with its default seccomp profile"
		switch d.Seccomp {
		case "":
			reportDaemon(p, d, live.KeySeccompProfile, 0, fix, "the daemon reports no seccomp support: containers run without a system call filter")
		case "unconfined":
			reportDaemon(p, d, live.KeySeccompProfile, 0, fix, "the daemon's default seccomp profile is unconfined: containers run without a system call filter")
		}
		return nil
	},
}

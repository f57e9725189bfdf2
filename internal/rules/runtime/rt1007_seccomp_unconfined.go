package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1007 reports containers that run without Docker's default seccomp
// profile.
var RT1007 = &rule.Rule{
	ID:       "RT1007",
	Slug:     "seccomp-unconfined",
	Title:    "Seccomp profile disabled",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "Docker's default seccomp profile blocks about 44 system calls that containers do not need and that have a " +
		"history of kernel exploits (keyctl, add_key, unshare, mount, ptrace on old kernels, bpf, userfaultfd...). With " +
		"`seccomp:unconfined` every system call reaches the kernel, which turns any kernel bug into a possible escape.",
	Fix: "Remove `seccomp:unconfined` from `security_opt`; if one system call is missing, start from Docker's default " +
		"profile and allow just that call with `seccomp:./profile.json`.",
	Bad:        "services:\n  app:\n    image: app:1.4\n    security_opt: [\"seccomp:unconfined\"]",
	Good:       "services:\n  app:\n    image: app:1.4\n    security_opt: [\"no-new-privileges:true\"]",
	Peers:      []rule.Peer{{Tool: "kics", ID: "404fde2c-bc4b-4371-9747-7054132ac953"}, {Tool: "cis-docker-1.6.0", ID: "5.22"}},
	References: []string{"https://docs.docker.com/engine/security/seccomp/"},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, o := range s.SecurityOpt {
				l := strings.ToLower(o)
				if strings.Contains(l, "seccomp") && strings.Contains(l, "unconfined") {
					reportFix(p, at(s, keySecurityOptItem(o), container.KeySecurityOpt), 0,
						dropFix(s, strings.TrimSpace(o), "--security-opt "+strings.TrimSpace(o))+"; if one system call is missing, allow just it in a copy of Docker's default profile",
						"%s disables the seccomp profile (%s): every system call reaches the kernel", who(s), strings.TrimSpace(o))
				}
			}
		}
		return nil
	},
}

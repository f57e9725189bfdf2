package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1006 reports containers whose processes may gain privileges through
// setuid binaries or file capabilities.
var RT1006 = &rule.Rule{
	ID:       "RT1006",
	Slug:     "no-new-privileges-not-set",
	Title:    "no-new-privileges is not set",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "Without the no_new_privs flag a process in the container can gain privileges by executing a setuid or " +
		"setgid binary or a file with capabilities (su, sudo, ping, a planted binary). Setting it costs nothing for " +
		"applications that do not switch users and blocks this whole class of escalation, even for a non-root user.",
	Fix:  "Add `security_opt: [\"no-new-privileges:true\"]` (`--security-opt no-new-privileges`).",
	Bad:  "services:\n  api:\n    image: api:3.2",
	Good: "services:\n  api:\n    image: api:3.2\n    security_opt:\n      - no-new-privileges:true",
	Peers: []rule.Peer{
		{Tool: "kics", ID: "27fcc7d6-c49b-46e0-98f1-6c082a6a2750"},
		{Tool: "kics", ID: "610e266e-6c12-4bca-9925-1ed0cd29742b"},
		{Tool: "cis-docker-1.6.0", ID: "5.26"},
	},
	References: []string{
		"https://docs.docker.com/reference/cli/docker/container/run/#security-opt",
		"https://docs.kernel.org/userspace-api/no_new_privs.html",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.NoNewPrivileges() {
				continue
			}
			fix := keyword(s, "add \"no-new-privileges:true\" to the security_opt of "+who(s), "add --security-opt no-new-privileges",
				"recreate the container with --security-opt no-new-privileges")
			if o, ok := noNewPrivilegesOff(s); ok {
				_, v, _ := strings.Cut(strings.ReplaceAll(o, "=", ":"), ":")
				reportFix(p, at(s, keySecurityOptItem(o), container.KeySecurityOpt), 0, fix,
					"%s sets no-new-privileges to %s, so setuid binaries can still raise privileges", who(s), strings.TrimSpace(v))
				continue
			}
			if len(s.SecurityOpt) > 0 || has(s, container.KeySecurityOpt) {
				reportFix(p, at(s, container.KeySecurityOpt), 0, fix, "%s: %s does not include no-new-privileges:true",
					who(s), keyword(s, "security_opt", "--security-opt", "SecurityOpt"))
				continue
			}
			if !s.Partial {
				reportFix(p, s.Self, 0, fix, "%s does not set no-new-privileges, so setuid binaries in it can raise privileges", who(s))
			}
		}
		return nil
	},
}

// noNewPrivilegesOff returns the security option that sets
// no-new-privileges to something other than true.
func noNewPrivilegesOff(s *container.Spec) (string, bool) {
	for _, o := range s.SecurityOpt {
		k, _, _ := strings.Cut(strings.ReplaceAll(o, "=", ":"), ":")
		if strings.EqualFold(strings.TrimSpace(k), "no-new-privileges") {
			return o, true
		}
	}
	return "", false
}

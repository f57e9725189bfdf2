package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/composeedit"
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
				reportWithFixes(p, at(s, keySecurityOptItem(o), container.KeySecurityOpt), 0, fix, nnpOnFix(p, s, o),
					"%s sets no-new-privileges to %s, so setuid binaries can still raise privileges", who(s), strings.TrimSpace(v))
				continue
			}
			add := composeFix(p, s, rule.FixSafe, "add no-new-privileges:true to security_opt",
				func(_ *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
					svc.AppendItems("security_opt", "no-new-privileges:true")
					return nil
				})
			if len(s.SecurityOpt) > 0 || has(s, container.KeySecurityOpt) {
				reportWithFixes(p, at(s, container.KeySecurityOpt), 0, fix, add, "%s: %s does not include no-new-privileges:true",
					who(s), keyword(s, "security_opt", "--security-opt", "SecurityOpt"))
				continue
			}
			if !s.Partial {
				reportWithFixes(p, s.Self, 0, fix, add, "%s does not set no-new-privileges, so setuid binaries in it can raise privileges", who(s))
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

// nnpOnFix turns an explicit no-new-privileges:false into true. It is a
// review fix: someone chose false, perhaps for a program that must switch
// users through a setuid binary.
func nnpOnFix(p *rule.Pass, s *container.Spec, opt string) []rule.Fix {
	return composeFix(p, s, rule.FixReview, "set no-new-privileges to true (review: setuid and setgid programs such as su and sudo stop raising privileges)",
		func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
			for _, it := range svc.Items("security_opt") {
				if !it.Map && it.Value == opt {
					svc.ReplaceItem("security_opt", it.Index, "no-new-privileges:true")
					return nil
				}
			}
			pl.Refuse("the option %q is not written in the service's own security_opt list", opt)
			return nil
		})
}

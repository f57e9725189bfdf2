package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1008 reports containers that turn off AppArmor or SELinux confinement.
var RT1008 = &rule.Rule{
	ID:       "RT1008",
	Slug:     "apparmor-selinux-disabled",
	Title:    "AppArmor or SELinux confinement disabled",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "On hosts with AppArmor Docker confines every container with the docker-default profile, and on SELinux hosts " +
		"with the container_t label; both stop a process that escapes the namespaces from touching host files, /proc and " +
		"/sys entries it has no business with. `apparmor:unconfined` and `label:disable` remove that second wall.",
	Fix:   "Remove `apparmor:unconfined` / `label:disable` from `security_opt`; write a dedicated profile if the default one is too strict.",
	Bad:   "services:\n  app:\n    image: app:1.4\n    security_opt: [\"apparmor:unconfined\"]",
	Good:  "services:\n  app:\n    image: app:1.4\n    security_opt: [\"no-new-privileges:true\"]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.2"}, {Tool: "cis-docker-1.6.0", ID: "5.3"}},
	References: []string{
		"https://docs.docker.com/engine/security/apparmor/",
		"https://docs.docker.com/reference/cli/docker/container/run/#security-opt",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, o := range s.SecurityOpt {
				k, v, ok := strings.Cut(o, "=")
				if !ok {
					k, v, _ = strings.Cut(o, ":")
				}
				k, v = strings.ToLower(strings.TrimSpace(k)), strings.ToLower(strings.TrimSpace(v))
				pos := at(s, keySecurityOptItem(o), container.KeySecurityOpt)
				switch {
				case k == "apparmor" && (v == "unconfined" || v == "false"):
					report(p, pos, 0, "%s runs without an AppArmor profile (%s)", who(s), strings.TrimSpace(o))
				case k == "label" && (v == "disable" || v == "disabled" || v == "false"):
					report(p, pos, 0, "%s disables SELinux labelling (%s)", who(s), strings.TrimSpace(o))
				}
			}
		}
		return nil
	},
}

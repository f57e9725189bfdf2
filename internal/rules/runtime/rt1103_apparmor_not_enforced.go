package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1103 reports a running container whose AppArmor confinement is not
// what its configuration claims: a profile in complain mode, which only
// logs, or PID 1 unconfined while the engine reports a profile.
var RT1103 = &rule.Rule{
	ID:       "RT1103",
	Slug:     "apparmor-not-enforced",
	Title:    "AppArmor profile not enforced on PID 1",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "An AppArmor profile only protects in enforce mode. A profile loaded in complain mode logs what it " +
		"would deny and allows it, and a process that runs unconfined while `docker inspect` names a profile (a profile " +
		"not loaded after a reboot, an `aa-complain` left from debugging) has no mandatory access control at all. The " +
		"kernel's label on PID 1 (/proc/PID/attr/current) says which is in force.",
	Fix: "Load the profile in enforce mode (`aa-enforce /etc/apparmor.d/<profile>`, or restart the daemon to reload " +
		"docker-default) and restart the container.",
	Bad:   "/proc/<pid>/attr/current: docker-default (complain)",
	Good:  "/proc/<pid>/attr/current: docker-default (enforce)",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.2"}},
	References: []string{
		"https://docs.docker.com/engine/security/apparmor/",
		"https://gitlab.com/apparmor/apparmor/-/wikis/AppArmor_Core_Policy_Reference",
	},
	Levels: []rule.Level{{Severity: rule.Medium, When: "for a profile in complain mode: violations are logged, not blocked"}},
	Check: func(p *rule.Pass) error {
		for _, s := range running(p) {
			label := s.Live.AppArmor
			if label == "" || s.Privileged {
				continue
			}
			if v, ok := s.SecurityOptValue("apparmor"); ok && v == "unconfined" {
				continue // RT1008 reports the option
			}
			fix := "load the AppArmor profile of " + who(s) + " in enforce mode and restart it"
			switch {
			case strings.HasSuffix(label, "(complain)"):
				reportFix(p, s.Self, rule.Medium, fix, "%s runs under AppArmor profile %q in complain mode: violations are logged, not blocked", who(s), label)
			case label == "unconfined" && s.AppArmorProfile != "" && s.AppArmorProfile != "unconfined":
				reportFix(p, s.Self, 0, fix, "%s reports AppArmor profile %q but PID 1 runs unconfined", who(s), s.AppArmorProfile)
			}
		}
		return nil
	},
}

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
		"/sys entries it has no business with. `apparmor:unconfined` and `label:disable` remove that second wall. " +
		"Inspect output shows what was applied: an empty AppArmorProfile with no SELinux ProcessLabel means the container " +
		"runs with neither (CIS 5.2 and 5.3 warn on it).",
	Fix: "Remove `apparmor:unconfined` / `label:disable` from `security_opt`; write a dedicated profile if the default one is too strict. " +
		"For an inspected container with no profile at all, enable AppArmor (or SELinux with `--selinux-enabled`) on the host and recreate the container.",
	Bad:   "services:\n  app:\n    image: app:1.4\n    security_opt: [\"apparmor:unconfined\"]",
	Good:  "services:\n  app:\n    image: app:1.4\n    security_opt: [\"no-new-privileges:true\"]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.2"}, {Tool: "cis-docker-1.6.0", ID: "5.3"}},
	References: []string{
		"https://docs.docker.com/engine/security/apparmor/",
		"https://docs.docker.com/reference/cli/docker/container/run/#security-opt",
	},
	Levels: []rule.Level{{Severity: rule.Medium, When: "for an inspected container with neither an AppArmor profile nor an SELinux label " +
		"when no container of the document shows that the host applies AppArmor (the host may have neither)"}},
	Check: func(p *rule.Pass) error {
		hostAppArmor := false
		for _, s := range specs(p) {
			hostAppArmor = hostAppArmor || s.MACReported && !appArmorUnconfined(s.AppArmorProfile)
		}
		for _, s := range specs(p) {
			reported := false
			for _, o := range s.SecurityOpt {
				k, v, ok := strings.Cut(o, "=")
				if !ok {
					k, v, _ = strings.Cut(o, ":")
				}
				k, v = strings.ToLower(strings.TrimSpace(k)), strings.ToLower(strings.TrimSpace(v))
				pos := at(s, keySecurityOptItem(o), container.KeySecurityOpt)
				switch {
				case k == "apparmor" && (v == "unconfined" || v == "false"):
					reportFix(p, pos, 0, dropFix(s, strings.TrimSpace(o), "--security-opt "+strings.TrimSpace(o))+"; write a dedicated profile if the default one is too strict",
						"%s runs without an AppArmor profile (%s)", who(s), strings.TrimSpace(o))
					reported = true
				case k == "label" && (v == "disable" || v == "disabled" || v == "false"):
					reportFix(p, pos, 0, dropFix(s, strings.TrimSpace(o), "--security-opt "+strings.TrimSpace(o)),
						"%s disables SELinux labelling (%s)", who(s), strings.TrimSpace(o))
					reported = true
				}
			}
			if !reported {
				checkAppliedMAC(p, s, hostAppArmor)
			}
		}
		return nil
	},
}

// checkAppliedMAC reports an inspected container that the engine confined
// with neither an AppArmor profile nor an SELinux label (CIS 5.2, 5.3).
// A privileged container is RT1003's finding and is left to it. An empty
// profile on a host without AppArmor is what every container there gets,
// so it is reported at medium, unless another container of the document
// shows that the host applies AppArmor.
func checkAppliedMAC(p *rule.Pass, s *container.Spec, hostAppArmor bool) {
	if !s.MACReported || s.Privileged || !appArmorUnconfined(s.AppArmorProfile) || selinuxConfined(s.ProcessLabel) {
		return
	}
	pos := at(s, container.KeyAppArmorProfile)
	profile := strings.TrimSpace(s.AppArmorProfile)
	switch {
	case profile != "":
		report(p, pos, 0, "%s runs without an AppArmor profile (AppArmorProfile: %s) and without an SELinux label", who(s), profile)
	case daemonWithoutMAC(p):
		// The host has neither: RT1211 reports it once for the host.
	case hostAppArmor:
		report(p, pos, 0, "%s runs without an AppArmor profile (AppArmorProfile is empty) while other containers on the host have one", who(s))
	default:
		report(p, pos, rule.Medium, "%s runs with no mandatory access control: AppArmorProfile is empty and no SELinux ProcessLabel is set "+
			"(the host may have neither AppArmor nor SELinux enabled)", who(s))
	}
}

// daemonWithoutMAC reports whether an audited daemon applies neither
// AppArmor nor SELinux, which RT1211 reports once for the host.
func daemonWithoutMAC(p *rule.Pass) bool {
	d := daemonOf(p)
	return d != nil && !d.AppArmor && !d.SELinux
}

// appArmorUnconfined reports whether an applied AppArmor profile confines
// nothing.
func appArmorUnconfined(profile string) bool {
	p := strings.ToLower(strings.TrimSpace(profile))
	return p == "" || p == "unconfined" || p == "<no value>"
}

// selinuxConfined reports whether an SELinux process label confines the
// container: spc_t (super-privileged) and unconfined_t do not.
func selinuxConfined(label string) bool {
	l := strings.TrimSpace(label)
	return l != "" && !strings.Contains(l, ":spc_t:") && !strings.Contains(l, ":unconfined_t:")
}

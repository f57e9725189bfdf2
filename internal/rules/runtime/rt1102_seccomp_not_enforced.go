package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// RT1102 reports a running container whose first process has no seccomp
// filter although nothing in its configuration asked for that and the
// daemon says it applies a default profile. A daemon without one is
// RT1206's single host finding.
var RT1102 = &rule.Rule{
	ID:       "RT1102",
	Slug:     "seccomp-not-enforced",
	Title:    "No seccomp filter in force on PID 1",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "Docker's default seccomp profile blocks about 50 system calls that containers have no use for and that " +
		"kernel exploits favour (keyctl, add_key, unshare, mount, bpf...). A configuration that does not say " +
		"`seccomp=unconfined` is usually taken to be filtered, but a daemon started without seccomp support, or with an " +
		"unconfined default, runs every container unfiltered. The kernel's own view (/proc/PID/status, `Seccomp: 0`) is " +
		"the fact.",
	Fix: "Run the daemon with its default seccomp profile (remove `seccomp-profile: unconfined` from daemon.json, use a " +
		"kernel and engine built with seccomp) and recreate the container.",
	Bad:   "dockerd --seccomp-profile unconfined   # every container: Seccomp: 0",
	Good:  "dockerd                                 # containers: Seccomp: 2 (filter)",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.22"}},
	References: []string{
		"https://docs.docker.com/engine/security/seccomp/",
		"https://man7.org/linux/man-pages/man5/proc_pid_status.5.html",
	},
	Check: func(p *rule.Pass) error {
		if d := daemonOf(p); d != nil && (d.Seccomp == "" || d.Seccomp == "unconfined") {
			return nil // the daemon applies none to anyone: RT1206 reports it once for the host
		}
		for _, s := range running(p) {
			if s.Live.Seccomp != "disabled" || s.Privileged {
				continue // privileged is RT1003's
			}
			if v, ok := s.SecurityOptValue("seccomp"); ok && v == "unconfined" {
				continue // RT1007 reports the option
			}
			reportFix(p, s.Self, 0, "enable the daemon's default seccomp profile and recreate "+who(s),
				"%s runs without a seccomp filter (PID 1: Seccomp: 0) although its configuration does not disable it", who(s))
		}
		return nil
	},
}

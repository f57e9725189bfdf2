package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// RT1101 reports a running container whose first process has root's
// effective UID although its configuration names another user: a user name
// the image maps to UID 0, or an entrypoint that switched back to root. A
// configuration without a user is RT1009's.
var RT1101 = &rule.Rule{
	ID:       "RT1101",
	Slug:     "pid1-runs-as-root",
	Title:    "PID 1 runs as root although a user is set",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "The configured user is a promise; the kernel enforces the process's effective UID. An image whose " +
		"/etc/passwd gives the named user UID 0, or an entrypoint that runs setuid helpers or `su` back to root, leaves " +
		"PID 1 as root on the host while every configuration check reads a harmless user name. Only a live engine shows " +
		"what PID 1 really runs as (its /proc status, or `docker top`).",
	Fix: "Give the container a numeric, unprivileged UID (`--user 10001:10001`), check the image's /etc/passwd for extra " +
		"UID 0 accounts, and keep the entrypoint from regaining root (no setuid helpers, no-new-privileges).",
	Bad:   "docker run --user app myimage   # /etc/passwd: app:x:0:0::/app:/bin/sh",
	Good:  "docker run --user 10001:10001 --security-opt no-new-privileges myimage",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.1"}},
	References: []string{
		"https://docs.docker.com/engine/containers/run/#user",
		"https://man7.org/linux/man-pages/man5/proc_pid_status.5.html",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range running(p) {
			if s.Live.PID1UID != 0 || s.User == "" {
				continue
			}
			if root, _ := rootUser(s.User); root {
				continue // RT1009 reports the configured root user
			}
			reportFix(p, s.Self, 0, "run "+who(s)+" with a numeric unprivileged UID and check its image's /etc/passwd",
				"%s sets User %q but PID 1 runs with effective UID 0 (root)", who(s), s.User)
		}
		return nil
	},
}

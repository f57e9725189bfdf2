package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1021 reports host system directories mounted into a container.
var RT1021 = &rule.Rule{
	ID:       "RT1021",
	Slug:     "sensitive-host-path-mounted",
	Title:    "Sensitive host path mounted",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "Mounting host system directories gives the container the host's configuration and credentials (/etc/shadow, " +
		"/root/.ssh, users' home directories, kubelet and Docker state), kernel interfaces (/proc, /sys, /dev) and binaries the host executes (/usr, " +
		"/boot). Written, they are a direct route to root on the host; read, they leak secrets. Mounting / is all of these " +
		"at once.",
	Fix: "Mount only the specific files the service needs, read-only (`:ro`), or copy them into the image or a named " +
		"volume instead of reaching into the host.",
	Bad:   "services:\n  agent:\n    image: agent:2.1\n    volumes:\n      - /etc:/host/etc",
	Good:  "services:\n  agent:\n    image: agent:2.1\n    volumes:\n      - /etc/localtime:/etc/localtime:ro",
	Peers: []rule.Peer{{Tool: "kics", ID: "1c1325ff-831d-43a1-973e-839ae57dfcc0"}, {Tool: "cis-docker-1.6.0", ID: "5.6"}},
	References: []string{
		"https://docs.docker.com/engine/storage/bind-mounts/",
		"https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
	},
	Levels: []rule.Level{
		{Severity: rule.Critical, When: "for the host's root filesystem (/) mounted read-write"},
		{Severity: rule.Medium, When: "for a read-only mount, which leaks but cannot change the host"},
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, m := range s.Mounts {
				if !isBind(m) {
					continue
				}
				if _, sock := runtimeSocket(m.Source); sock {
					continue // RT1020
				}
				dir, ok := sensitiveDir(m.Source)
				if !ok || (m.ReadOnly && harmlessReadOnly(m.Source)) {
					continue
				}
				src := cleanPath(m.Source)
				sev := rule.High
				mode := "read-write"
				switch {
				case m.ReadOnly:
					sev, mode = rule.Medium, "read-only"
				case src == "/":
					sev = rule.Critical
				}
				what := "host directory " + dir
				if src == "/" {
					what = "the host's root filesystem"
				} else if src != dir {
					what = src + " (under " + dir + ")"
				}
				fix := "mount only the files " + who(s) + " needs from " + src + ", read-only (`:ro`), or copy them into the image"
				if m.ReadOnly {
					fix = "mount only the files " + who(s) + " needs from " + src + " instead of the whole directory, or copy them into the image"
				}
				reportFix(p, mountPos(s, m, "source"), sev, fix, "%s mounts %s %s at %s", who(s), what, mode, m.Target)
			}
		}
		return nil
	},
}

// sensitiveDirs are host paths whose contents or interfaces give away the
// host. Order matters only for the name reported (most specific first).
var sensitiveDirs = []string{
	"/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet", "/etc/kubernetes", "/lib/modules", "/var/run",
	"/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/home", "/run", "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/",
}

// sensitiveDir returns the sensitive directory a host path is, or lies in.
func sensitiveDir(src string) (string, bool) {
	src = cleanPath(src)
	if src == "" || src[0] != '/' {
		return "", false
	}
	for _, d := range sensitiveDirs {
		if under(src, d) {
			return d, true
		}
	}
	return "", false
}

// harmlessReadOnly are host files commonly mounted read-only that reveal
// nothing private: time zone data and the public CA bundle.
func harmlessReadOnly(src string) bool {
	src = cleanPath(src)
	for _, d := range []string{"/etc/localtime", "/etc/timezone", "/usr/share/zoneinfo", "/etc/ssl/certs", "/etc/ca-certificates", "/etc/pki/ca-trust", "/usr/share/ca-certificates"} {
		if under(src, d) {
			return true
		}
	}
	return false
}

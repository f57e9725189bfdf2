package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// RT1211 reports a host whose daemon confines containers with neither
// AppArmor nor SELinux: one finding for the host, instead of one per
// container (RT1008 stays quiet about empty profiles then).
var RT1211 = &rule.Rule{
	ID:       "RT1211",
	Slug:     "daemon-no-mac",
	Title:    "Daemon confines containers with neither AppArmor nor SELinux",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "AppArmor or SELinux is the layer that still holds when a container gets root and a capability it should " +
		"not have: docker-default denies writes to /proc and /sys, mounts and raw access that namespaces alone allow. " +
		"A host without either gives no container that layer, whatever its configuration says.",
	Fix:   "Enable AppArmor (Debian, Ubuntu: the apparmor package and the kernel's `apparmor=1 security=apparmor`) or SELinux (`--selinux-enabled` on Fedora/RHEL) and restart the daemon.",
	Bad:   "docker info   # Security Options: seccomp",
	Good:  "docker info   # Security Options: apparmor, seccomp",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.2"}, {Tool: "cis-docker-1.6.0", ID: "5.3"}},
	References: []string{
		"https://docs.docker.com/engine/security/apparmor/",
		"https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file",
	},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || d.AppArmor || d.SELinux {
			return nil
		}
		reportFix(p, d.Self, 0, "enable AppArmor or SELinux on the host and restart the daemon",
			"the %s daemon applies neither AppArmor nor SELinux: no container on this host has mandatory access control", d.Engine)
		return nil
	},
}

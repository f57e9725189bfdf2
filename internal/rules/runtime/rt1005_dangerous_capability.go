package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1005 reports capabilities added beyond Docker's default set, tiered by
// what they allow.
var RT1005 = &rule.Rule{
	ID:       "RT1005",
	Slug:     "dangerous-capability-added",
	Title:    "Dangerous capability added",
	Severity: rule.High,
	Category: rule.CatRuntime,
	Rationale: "Capabilities beyond Docker's default set widen what root in the container can do to the host kernel. " +
		"SYS_ADMIN alone allows mounting filesystems and is close to privileged; SYS_MODULE loads kernel code; SYS_PTRACE " +
		"and DAC_READ_SEARCH read other processes' memory and any file by handle; SYS_RAWIO and BPF reach devices and the " +
		"kernel directly; NET_ADMIN reconfigures networking. ALL grants every one of them.",
	Fix: "Remove the capability from `cap_add` (`--cap-add`); if the workload truly needs it, run it in a separate, " +
		"minimal container and suppress this finding with the reason.",
	Bad:   "services:\n  agent:\n    image: agent:2.1\n    cap_add: [SYS_ADMIN]",
	Good:  "services:\n  agent:\n    image: agent:2.1\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]",
	Peers: []rule.Peer{{Tool: "kics", ID: "ce76b7d0-9e77-464d-b86f-c5c48e03e22d"}, {Tool: "cis-docker-1.6.0", ID: "5.4"}},
	References: []string{
		"https://man7.org/linux/man-pages/man7/capabilities.7.html",
		"https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
	},
	Levels: []rule.Level{
		{Severity: rule.Critical, When: "for ALL, SYS_ADMIN and SYS_MODULE, each as good as the host"},
		{Severity: rule.Medium, When: "for capabilities that reach the kernel or the network but not the host's files (NET_ADMIN, NET_RAW, SYS_TIME, PERFMON…) and any capability outside Docker's default set that is not tiered"},
		{Severity: rule.Low, When: "for capabilities that can only degrade the host (SYS_NICE, IPC_LOCK, WAKE_ALARM…)"},
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			// A privileged container holds every capability already, but
			// what it adds survives removing privileged: it is reported
			// too (docs/contract.md).
			for _, c := range s.CapAdd {
				c = container.NormalizeCap(c)
				sev, why, ok := capRisk(c)
				if !ok {
					continue
				}
				fix := keyword(s, "remove "+c+" from the cap_add of "+who(s), "drop --cap-add "+c, "recreate the container without --cap-add "+c) +
					"; if the workload truly needs it, suppress this finding with the reason"
				reportFix(p, orSelf(s, s.ItemPos(container.KeyCapAdd, c)), sev, fix, "%s adds capability %s: %s", who(s), c, why)
			}
		}
		return nil
	},
}

// defaultCaps is Docker's default capability set (CIS 5.4 lists it).
var defaultCaps = map[string]bool{
	"AUDIT_WRITE": true, "CHOWN": true, "DAC_OVERRIDE": true, "FOWNER": true, "FSETID": true, "KILL": true,
	"MKNOD": true, "NET_BIND_SERVICE": true, "SETFCAP": true, "SETGID": true, "SETPCAP": true, "SETUID": true,
	"SYS_CHROOT": true,
}

type capInfo struct {
	sev rule.Severity
	why string
}

// riskyCaps tiers the capabilities outside the default set.
var riskyCaps = map[string]capInfo{
	"ALL":                {rule.Critical, "every capability, as good as privileged"},
	"SYS_ADMIN":          {rule.Critical, "mount filesystems, use namespaces and many admin syscalls; a common container escape"},
	"SYS_MODULE":         {rule.Critical, "load kernel modules, which is full control of the host"},
	"SYS_PTRACE":         {rule.High, "trace and read the memory of other processes, and with host PID of host processes"},
	"DAC_READ_SEARCH":    {rule.High, "open any file by handle, bypassing permissions (the shocker escape)"},
	"SYS_RAWIO":          {rule.High, "raw I/O to devices and kernel memory"},
	"SYS_BOOT":           {rule.High, "reboot the host or load a new kernel"},
	"BPF":                {rule.High, "load eBPF programs into the kernel"},
	"PERFMON":            {rule.Medium, "kernel performance monitoring, which leaks kernel addresses"},
	"MAC_ADMIN":          {rule.High, "change the AppArmor or SELinux policy"},
	"MAC_OVERRIDE":       {rule.High, "bypass mandatory access control"},
	"LINUX_IMMUTABLE":    {rule.Medium, "change immutable and append-only file flags"},
	"SYS_TIME":           {rule.Medium, "set the host's clock"},
	"NET_ADMIN":          {rule.Medium, "reconfigure interfaces, routes and firewall rules"},
	"NET_RAW":            {rule.Medium, "raw sockets, which allow packet spoofing on the container network"},
	"SYSLOG":             {rule.Medium, "read and clear the kernel log, which leaks kernel addresses"},
	"SYS_RESOURCE":       {rule.Medium, "override resource limits and quotas"},
	"AUDIT_CONTROL":      {rule.Medium, "change the kernel audit rules"},
	"SYS_NICE":           {rule.Low, "raise process priorities and starve other workloads"},
	"IPC_LOCK":           {rule.Low, "lock memory, bypassing the memory limit's swap"},
	"SYS_TTY_CONFIG":     {rule.Low, "configure terminal devices"},
	"SYS_PACCT":          {rule.Low, "configure process accounting"},
	"WAKE_ALARM":         {rule.Low, "set wake alarms"},
	"BLOCK_SUSPEND":      {rule.Low, "block system suspend"},
	"LEASE":              {rule.Low, "take file leases"},
	"AUDIT_READ":         {rule.Low, "read the kernel audit log"},
	"IPC_OWNER":          {rule.Medium, "bypass permission checks on shared memory and message queues"},
	"CHECKPOINT_RESTORE": {rule.Medium, "checkpoint and restore processes"},
}

// capRisk says whether adding c is worth a finding, at which severity and
// why. Capabilities of the default set are not (adding them back after
// cap_drop ALL is the recommended pattern), except NET_RAW.
func capRisk(c string) (rule.Severity, string, bool) {
	if info, ok := riskyCaps[c]; ok {
		return info.sev, info.why, true
	}
	if defaultCaps[c] || c == "" {
		return 0, "", false
	}
	return rule.Medium, "outside Docker's default capability set", true
}

package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1023 reports host devices passed into a container.
var RT1023 = &rule.Rule{
	ID:       "RT1023",
	Slug:     "host-device",
	Title:    "Host device exposed to the container",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "A device node gives the container direct access to host hardware through the kernel driver. A disk device " +
		"(/dev/sda, /dev/nvme0n1) lets it read and rewrite the host's filesystems below every permission check; /dev/mem and " +
		"/dev/kmem expose physical and kernel memory. Other devices (GPUs, serial ports, /dev/fuse) are legitimate for some " +
		"workloads but widen the kernel attack surface.",
	Fix:   "Remove the `devices` entry (`--device`) unless the workload needs that hardware; never pass disk or memory devices.",
	Bad:   "services:\n  app:\n    image: app:1.4\n    devices:\n      - /dev/sda:/dev/sda",
	Good:  "services:\n  app:\n    image: app:1.4",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.18"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#devices",
		"https://docs.docker.com/reference/cli/docker/container/run/#device",
	},
	Levels: []rule.Level{
		{Severity: rule.High, When: "for disks, memory and kernel interfaces (/dev/sda, /dev/mem, /dev/kmsg…)"},
		{Severity: rule.Info, When: "for /dev/net/tun in a container without NET_ADMIN"},
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, d := range s.Devices {
				host, _, _ := strings.Cut(strings.TrimSpace(d), ":")
				sev := rule.Severity(0)
				why := "direct access to host hardware"
				switch {
				case criticalDevice(host):
					sev, why = rule.High, "raw access to host disks or memory, below every file permission"
				case cleanPath(host) == "/dev/net/tun" && s.HasCap("NET_ADMIN"):
					// The capability is judged on the whole service: with
					// it, the device is a working tunnel.
					why = "virtual network interfaces, which with NET_ADMIN let it create tunnels and route traffic"
				case cleanPath(host) == "/dev/net/tun":
					sev, why = rule.Info, "virtual network interfaces, harmless without NET_ADMIN"
				}
				reportFix(p, orSelf(s, s.ItemPos(container.KeyDevices, d)), sev,
					"remove "+host+" from the "+keyword(s, "devices", "--device flags", "Devices")+" of "+who(s)+" unless the workload needs that hardware",
					"%s gets host device %s: %s", who(s), host, why)
			}
		}
		return nil
	},
}

// criticalDevice reports whether a device node is a disk, a memory device
// or a kernel interface.
func criticalDevice(dev string) bool {
	dev = cleanPath(dev)
	name := strings.TrimPrefix(dev, "/dev/")
	for _, p := range []string{"sd", "hd", "vd", "xvd", "nvme", "mmcblk", "md", "dm-", "loop", "nbd", "sr"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	switch name {
	case "mem", "kmem", "port", "kmsg", "cpu", "mapper", "disk":
		return true
	}
	return strings.HasPrefix(name, "disk/") || strings.HasPrefix(name, "mapper/") || strings.HasPrefix(name, "cpu/")
}

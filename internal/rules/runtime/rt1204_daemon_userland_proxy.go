package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1204 reports a Docker daemon that uses the userland proxy (CIS 2.16).
var RT1204 = &rule.Rule{
	ID:       "RT1204",
	Slug:     "daemon-userland-proxy",
	Title:    "Daemon uses the userland proxy",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "With the userland proxy on (the default), a docker-proxy process runs as root on the host for every " +
		"published port, and published ports answer on loopback through it. Hairpin NAT in the kernel does the same " +
		"job with less code running as root, which is why the CIS benchmark asks for it to be off where the kernel " +
		"supports it.",
	Fix:        "Set `\"userland-proxy\": false` in /etc/docker/daemon.json (or `--userland-proxy=false`) and restart the daemon.",
	Bad:        "{}   # /etc/docker/daemon.json",
	Good:       "{\"userland-proxy\": false}",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.16"}},
	References: []string{"https://docs.docker.com/engine/network/packet-filtering-firewalls/#docker-on-a-router"},
	Levels:     []rule.Level{{Severity: rule.Info, When: "when neither daemon.json nor the daemon's flags could be read, so the default is assumed"}},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || d.Engine != "docker" || !d.UserlandProxy {
			return nil
		}
		fix := "set \"userland-proxy\": false in daemon.json"
		if !d.UserlandProxySet && d.ConfigFile == "" {
			reportDaemon(p, d, live.KeyUserlandProxy, rule.Info, fix, "the userland proxy is on by default and neither daemon.json nor the daemon's flags could be read to say otherwise")
			return nil
		}
		reportDaemon(p, d, live.KeyUserlandProxy, 0, fix, "the userland proxy is enabled: a root docker-proxy process serves each published port")
		return nil
	},
}

package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1203 reports a Docker daemon without live-restore (CIS 2.15).
var RT1203 = &rule.Rule{
	ID:       "RT1203",
	Slug:     "daemon-live-restore-disabled",
	Title:    "Daemon live-restore is disabled",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "Without live-restore, stopping or upgrading the Docker daemon stops every container, so patching the " +
		"engine means downtime and is put off. With it, containers keep running while the daemon restarts, which keeps " +
		"security updates of the engine cheap.",
	Fix:        "Set `\"live-restore\": true` in /etc/docker/daemon.json and reload the daemon (`systemctl reload docker`).",
	Bad:        "{}   # /etc/docker/daemon.json",
	Good:       "{\"live-restore\": true}",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.15"}},
	References: []string{"https://docs.docker.com/engine/daemon/live-restore/"},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || d.Engine != "docker" || d.LiveRestore || d.Rootless {
			return nil
		}
		reportDaemon(p, d, live.KeyLiveRestore, 0, "set \"live-restore\": true in daemon.json",
			"live-restore is disabled: restarting the daemon stops every container")
		return nil
	},
}

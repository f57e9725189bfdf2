package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1207 reports a daemon whose default logging keeps nothing or keeps
// local files without bound (CIS 2.13).
var RT1207 = &rule.Rule{
	ID:       "RT1207",
	Slug:     "daemon-log-driver",
	Title:    "Daemon logging discards logs or grows without bound",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "Container logs are the record of what happened in an incident. The `none` driver throws them away; " +
		"`json-file` without `max-size` keeps them only on the host and lets one chatty or hostile container fill the " +
		"disk the daemon needs. A remote driver (syslog, journald, fluentd, gelf) or at least rotation keeps them " +
		"useful and bounded.",
	Fix:        "Set `\"log-driver\"` to a central driver (journald, syslog, fluentd, gelf), or keep json-file with `\"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}`.",
	Bad:        "{\"log-driver\": \"none\"}",
	Good:       "{\"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}}",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.13"}},
	References: []string{"https://docs.docker.com/engine/logging/configure/"},
	Levels:     []rule.Level{{Severity: rule.Low, When: "for json-file logging without max-size: logs stay on the host and grow without bound"}},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || d.Engine != "docker" {
			return nil
		}
		switch {
		case d.LogDriver == "none":
			reportDaemon(p, d, live.KeyLogDriver, 0, "set a central log driver in daemon.json", "the daemon's default log driver is none: container logs are discarded")
		case d.LogDriver == "json-file" && d.LogMaxSize == "":
			reportDaemon(p, d, live.KeyLogDriver, rule.Low, "set log-opts max-size and max-file in daemon.json, or a central log driver",
				"the daemon logs to json-file without max-size: logs stay on the host and grow without bound")
		}
		return nil
	},
}

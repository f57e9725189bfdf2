package runtime

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1026 reports ports below 1024 in a port mapping.
var RT1026 = &rule.Rule{
	ID:       "RT1026",
	Slug:     "privileged-port-mapped",
	Title:    "Privileged port (below 1024) mapped",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "Ports below 1024 are reserved for privileged services. Publishing one on the host claims a port that host " +
		"services such as sshd or a system web server expect, and a process listening below 1024 inside the container needs " +
		"root or NET_BIND_SERVICE, which works against running unprivileged with all capabilities dropped. Ports above 1024 " +
		"on both sides avoid both.",
	Fix:   "Listen on a port above 1024 in the container (8080 rather than 80) and publish a port above 1024, or terminate on a reverse proxy.",
	Bad:   "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80:80\"",
	Good:  "services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n    ports:\n      - \"127.0.0.1:8080:8080\"",
	Peers: []rule.Peer{{Tool: "kics", ID: "bc2908f3-f73c-40a9-8793-c1b7d5544f79"}, {Tool: "cis-docker-1.6.0", ID: "5.8"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#ports",
		"https://man7.org/linux/man-pages/man7/capabilities.7.html",
	},
	Levels: []rule.Level{{Severity: rule.Info, When: "when only the container port is below 1024: the host port is not privileged, " +
		"but the process inside needs root or NET_BIND_SERVICE to bind it"}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, g := range portGroups(s) {
				host, ctr := g.lowest()
				switch {
				case host > 0 && host < 1024:
					reportFix(p, portsPos(s, g.ports[0]), 0, fmt.Sprintf("publish host port %d on a port above 1024, or put a reverse proxy in front", host),
						"%s publishes privileged host port %d (%s)", who(s), host, g.desc())
				case ctr > 0 && ctr < 1024:
					reportFix(p, portsPos(s, g.ports[0]), rule.Info, fmt.Sprintf("make the process listen above 1024 instead of on %d (an unprivileged image variant often does)", ctr),
						"%s maps container port %d (%s): a process binding it needs root or NET_BIND_SERVICE", who(s), ctr, g.desc())
				}
			}
		}
		return nil
	},
}

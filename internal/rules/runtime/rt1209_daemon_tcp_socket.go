package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1209 reports a daemon listening on TCP without TLS client
// verification (CIS 2.7).
var RT1209 = &rule.Rule{
	ID:       "RT1209",
	Slug:     "daemon-unauthenticated-tcp",
	Title:    "Daemon API on TCP without TLS authentication",
	Severity: rule.Critical,
	Category: rule.CatRuntime,
	Rationale: "The Engine API is root on the host: whoever can call it can start a privileged container that mounts " +
		"/. On a TCP socket without `tlsverify`, that is anyone who can reach the port; port 2375 is scanned for " +
		"constantly and exposed daemons are mined within hours.",
	Fix:   "Stop listening on tcp:// without TLS: remove the host from daemon.json/-H, use the unix socket or SSH (`DOCKER_HOST=ssh://`), or enable `tlsverify` with client certificates.",
	Bad:   "{\"hosts\": [\"tcp://0.0.0.0:2375\"]}",
	Good:  "{\"hosts\": [\"unix:///var/run/docker.sock\"]}",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "2.7"}},
	References: []string{
		"https://docs.docker.com/engine/security/protect-access/",
		"https://docs.docker.com/engine/daemon/remote-access/",
	},
	Check: func(p *rule.Pass) error {
		d := daemonOf(p)
		if d == nil || len(d.TCPHosts) == 0 {
			return nil
		}
		reportDaemon(p, d, live.KeyHosts, 0, "remove the plain TCP listener or enable tlsverify with client certificates",
			"the daemon API listens on %s without TLS client authentication: whoever reaches it is root on the host", strings.Join(d.TCPHosts, ", "))
		return nil
	},
}

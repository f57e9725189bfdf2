package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1017 reports containers that share the host's IPC namespace.
var RT1017 = &rule.Rule{
	ID:         "RT1017",
	Slug:       "host-ipc",
	Title:      "Container shares the host IPC namespace",
	Severity:   rule.High,
	Category:   rule.CatRuntime,
	Rationale:  "The host's IPC namespace exposes the host's System V shared memory, semaphores and message queues and its /dev/shm; a container in it can read or corrupt the shared memory of host processes and other containers that use it.",
	Fix:        "Remove `ipc: host` (`--ipc host`); use `ipc: shareable` on one service and `ipc: service:<name>` on the other when two services must share memory.",
	Bad:        "services:\n  app:\n    image: app:1.4\n    ipc: host",
	Good:       "services:\n  app:\n    image: app:1.4",
	Peers:      []rule.Peer{{Tool: "kics", ID: "baa3890f-bed7-46f5-ab8f-1da8fc91c729"}, {Tool: "cis-docker-1.6.0", ID: "5.17"}},
	References: []string{"https://docs.docker.com/reference/cli/docker/container/run/#ipc"},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if isHost(s.IpcMode) {
				reportFix(p, at(s, container.KeyIpc), 0, dropFix(s, "ipc: host", "--ipc host"),
					"%s shares the host's IPC namespace (%s host): it can reach the host's shared memory",
					who(s), keyword(s, "ipc:", "--ipc", "IpcMode"))
			}
		}
		return nil
	},
}

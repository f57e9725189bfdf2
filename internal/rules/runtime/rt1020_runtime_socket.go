package runtime

import (
	"path"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1020 reports a container runtime's API socket mounted into a container.
var RT1020 = &rule.Rule{
	ID:       "RT1020",
	Slug:     "runtime-socket-mounted",
	Title:    "Container runtime socket mounted",
	Severity: rule.Critical,
	Category: rule.CatRuntime,
	Rationale: "Whoever can talk to the Docker (or Podman, containerd, CRI-O) API socket can start a privileged container " +
		"with the host's root filesystem mounted: the socket is root on the host. Mounting it read-only changes nothing, " +
		"the API is still fully usable. A compromise of the container that holds it is a compromise of the host.",
	Fix: "Remove the socket mount. If a tool must watch containers, put a filtering proxy (for example " +
		"tecnativa/docker-socket-proxy with only the endpoints it needs) in front of the socket.",
	Bad:   "services:\n  proxy:\n    image: traefik:3.3\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro",
	Good:  "services:\n  proxy:\n    image: traefik:3.3\n    volumes:\n      - ./traefik.yml:/etc/traefik/traefik.yml:ro",
	Peers: []rule.Peer{{Tool: "kics", ID: "d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"}, {Tool: "cis-docker-1.6.0", ID: "5.32"}},
	References: []string{
		"https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
		"https://docs.docker.com/engine/security/protect-access/",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, m := range s.Mounts {
				if !isBind(m) && m.Type != "" {
					continue
				}
				if name, ok := runtimeSocket(m.Source); ok {
					ro := ""
					if m.ReadOnly {
						ro = " (read-only does not help: the API is still usable)"
					}
					report(p, mountPos(s, m, "source"), 0, "%s mounts the %s socket %s: it can control the runtime and so the host%s",
						who(s), name, m.Source, ro)
				}
			}
		}
		return nil
	},
}

// runtimeSockets maps socket file names to the runtime they control.
var runtimeSockets = map[string]string{
	"docker.sock": "Docker", "podman.sock": "Podman", "containerd.sock": "containerd", "crio.sock": "CRI-O",
	"dockershim.sock": "dockershim", "cri-dockerd.sock": "cri-dockerd", "kubelet.sock": "kubelet",
}

// runtimeSocket reports whether a host path is a container runtime's API
// socket (or the directory holding the Docker socket).
func runtimeSocket(src string) (string, bool) {
	src = cleanPath(src)
	if name, ok := runtimeSockets[path.Base(src)]; ok {
		return name, true
	}
	if src == "/var/run/docker" || src == "/run/docker" || strings.HasSuffix(src, "/containerd/containerd.sock.ttrpc") {
		return "Docker", true
	}
	return "", false
}

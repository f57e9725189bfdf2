package runtime

import (
	"path"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1020 reports a container runtime's API socket given to a container: a
// mount of the socket or of the directory that holds it, or compose's
// use_api_socket.
var RT1020 = &rule.Rule{
	ID:       "RT1020",
	Slug:     "runtime-socket-mounted",
	Title:    "Container runtime socket mounted",
	Severity: rule.Critical,
	Category: rule.CatRuntime,
	Rationale: "Whoever can talk to the Docker (or Podman, containerd, CRI-O) API socket can start a privileged container " +
		"with the host's root filesystem mounted: the socket is root on the host. Mounting it read-only changes nothing, " +
		"the API is still fully usable. A compromise of the container that holds it is a compromise of the host. Mounting " +
		"the host's /var/run (or /run) hands over every socket in it, the runtime's included, and compose's " +
		"`use_api_socket: true` gives the container the Docker API and the user's registry credentials as well.",
	Fix: "Remove the socket mount (or `use_api_socket`). If a tool must watch containers, put a filtering proxy (for example " +
		"tecnativa/docker-socket-proxy with only the endpoints it needs) in front of the socket.",
	Bad:   "services:\n  proxy:\n    image: traefik:3.3\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro",
	Good:  "services:\n  proxy:\n    image: traefik:3.3\n    volumes:\n      - ./traefik.yml:/etc/traefik/traefik.yml:ro",
	Peers: []rule.Peer{{Tool: "kics", ID: "d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"}, {Tool: "cis-docker-1.6.0", ID: "5.32"}},
	References: []string{
		"https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
		"https://docs.docker.com/engine/security/protect-access/",
		"https://docs.docker.com/reference/compose-file/services/#use_api_socket",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.APISocket {
				reportFix(p, at(s, container.KeyAPISocket), 0, "remove `use_api_socket: true` from "+who(s)+
					"; give it a registry token of its own, or a filtering API proxy, if it must reach the engine",
					"%s sets use_api_socket: true: it gets the Docker API socket and your registry credentials, so it can control the runtime and the host",
					who(s))
			}
			for _, m := range s.Mounts {
				if !isBind(m) && m.Type != "" {
					continue
				}
				name, ok := runtimeSocket(m.Source)
				if !ok {
					continue
				}
				ro := ""
				if m.ReadOnly {
					ro = " (read-only does not help: the API is still usable)"
				}
				fix := "remove the mount of " + m.Source + " from " + who(s) +
					"; if it must watch containers, give it a filtering proxy such as tecnativa/docker-socket-proxy"
				if dir := cleanPath(m.Source); dir == "/var/run" || dir == "/run" {
					reportFix(p, mountPos(s, m, "source"), 0, fix,
						"%s mounts the host's %s, which holds the Docker socket (and every other runtime's): it can control the runtime and so the host%s",
						who(s), dir, ro)
					continue
				}
				reportFix(p, mountPos(s, m, "source"), 0, fix, "%s mounts the %s socket %s: it can control the runtime and so the host%s",
					who(s), name, m.Source, ro)
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
// socket, or a directory that holds the Docker socket (/var/run, /run).
func runtimeSocket(src string) (string, bool) {
	src = cleanPath(src)
	if name, ok := runtimeSockets[path.Base(src)]; ok {
		return name, true
	}
	switch src {
	case "/var/run", "/run", "/var/run/docker", "/run/docker":
		return "Docker", true
	}
	if strings.HasSuffix(src, "/containerd/containerd.sock.ttrpc") {
		return "Docker", true
	}
	return "", false
}

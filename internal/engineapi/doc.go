// Package engineapi is shipshape's client of the Docker Engine API, which
// Podman also serves: the few read-only calls shipshape audit and
// shipshape agent make (ping, info, containers, images, inspect, top,
// changes, archive stat, networks, events, image export) over the
// engine's unix socket, plain TCP or TLS, and the gathering of
// one live.Snapshot from them and from the host's /proc and daemon.json.
//
// It is a small net/http client rather than the moby client
// (github.com/moby/moby/client): that module brings OpenTelemetry,
// containerd's errdefs and a dozen other modules for the nine GET/HEAD
// calls needed here, and internal/imageread already talks to the same API
// the same way. The answers are kept as JSON and mapped by internal/live,
// which reads only the fields shipshape needs and tolerates both engines.
package engineapi

package live

import (
	"encoding/json"

	"github.com/shipshape-sec/shipshape/internal/container"
)

// Snapshot is everything one audit read from an engine and its host, as
// the engine answered it (JSON kept raw where the mapping reads it).
type Snapshot struct {
	// Host is the engine address audited (unix:///var/run/docker.sock).
	Host string `json:"host"`
	// Engine is "docker" or "podman".
	Engine string `json:"engine,omitempty"`
	// Info is the answer of GET /info.
	Info json.RawMessage `json:"info,omitempty"`
	// DaemonConfig is daemon.json when it could be read.
	DaemonConfig *File `json:"daemonConfig,omitempty"`
	// DaemonArgs is the daemon's command line when it could be read.
	DaemonArgs []string `json:"daemonArgs,omitempty"`
	// BridgeOptions are the default bridge network's driver options
	// (GET /networks/bridge), nil when there is none (podman).
	BridgeOptions map[string]string `json:"bridgeOptions,omitempty"`
	// PlainTCP is true when Host is a tcp:// address that answered without
	// TLS: anyone who can reach it controls the daemon.
	PlainTCP bool `json:"plainTCP,omitempty"`
	// ContentTrust is DOCKER_CONTENT_TRUST=1 in the auditing environment.
	ContentTrust bool `json:"contentTrust,omitempty"`
	// Containers are the containers audited.
	Containers []Container `json:"containers"`
}

// File is a configuration file read from the host.
type File struct {
	Path string `json:"path"`
	Data string `json:"data"`
}

// Container is one container's answers.
type Container struct {
	// Inspect is the answer of GET /containers/{id}/json.
	Inspect json.RawMessage `json:"inspect"`
	// Top is the answer of GET /containers/{id}/top, nil when not running.
	Top *Top `json:"top,omitempty"`
	// Proc are PID 1's /proc files, when the host's /proc shows them.
	Proc *Proc `json:"proc,omitempty"`
	// Changes is the answer of GET /containers/{id}/changes; ChangesRead
	// says it was read (an empty list is a container without drift).
	Changes     []EngineChange `json:"changes,omitempty"`
	ChangesRead bool           `json:"changesRead,omitempty"`
	// Modes are the stat modes (Go io/fs bits) of changed paths, from the
	// container's upper layer or the engine's archive stat.
	Modes map[string]uint32 `json:"modes,omitempty"`
	// Signature is the verdict on the image's signatures, set by the
	// engine layer for audit --require-signature.
	Signature *container.SignatureVerdict `json:"signature,omitempty"`
}

// Top is the engine's process list of a container.
type Top struct {
	Titles    []string   `json:"Titles"`
	Processes [][]string `json:"Processes"`
}

// Proc holds /proc/PID/status and /proc/PID/attr/current of PID 1.
type Proc struct {
	Status   string `json:"status,omitempty"`
	AppArmor string `json:"apparmor,omitempty"`
}

// EngineChange is one entry of /containers/{id}/changes: Kind 0 is
// modified, 1 added, 2 deleted.
type EngineChange struct {
	Path string `json:"Path"`
	Kind int    `json:"Kind"`
}

package container

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Source says where a Spec came from.
type Source string

// Sources of runtime configuration.
const (
	SourceCompose   Source = "compose"
	SourceDockerRun Source = "docker-run"
	SourceInspect   Source = "inspect"
)

// Project is one input file's worth of containers: a compose project (its
// services, after override merging), the `docker run` lines of one script,
// or the containers of one inspect document.
type Project struct {
	Source Source
	// File is the file findings are reported in (the first compose file).
	File string
	// Name is the compose project name, when known.
	Name  string
	Specs []*Spec
	// Networks declared at the top level of a compose file, by name.
	Networks map[string]*Network
	// Secrets declared at the top level of a compose file, by name.
	Secrets map[string]bool
	// Errors are problems loading the input (broken YAML, an invalid
	// compose file), with the place they were found; the model covers what
	// could be loaded.
	Errors []LoadError
	// Comments are the full-line and trailing comments of the source
	// files, for ignore pragmas (`# shipshape ignore=RT1001 -- reason` on
	// the key's line or the line above).
	Comments []Comment
	// Where is the location of the project as a whole (the `services:` key
	// of a compose file, or line 1).
	Where Pos
	// TrustOff are the places a script or CI file turns Docker Content
	// Trust off (DOCKER_CONTENT_TRUST=0, --disable-content-trust).
	TrustOff []TrustOff
	// Daemon is the container engine the containers run on, for a project
	// read from a live engine (shipshape audit); nil otherwise.
	Daemon *Daemon
	// Sources are the bytes of the compose files given (not the files
	// they include or extend), by path, as read: rules compute fixes as
	// edits of this text.
	Sources map[string][]byte
}

// TrustOff is one place where image signature checks are switched off.
type TrustOff struct {
	Where Pos
	// What is the text that does it, as written.
	What string
}

// Comment is one comment in a source file. Trailing is true for a comment
// after a value on the same line.
type Comment struct {
	File     string
	Line     int
	Text     string
	Trailing bool
}

// LoadError is a problem found while loading, reported as a finding.
type LoadError struct {
	Pos     Pos
	Message string
}

// Network is a compose top-level network.
type Network struct {
	Name     string
	Internal bool
	External bool
	// Named is true when the network sets `name:`, the name other
	// projects join it by: its members are not all in this project.
	Named  bool
	Driver string
	Where  Pos
}

// Pos is a place in a file. Compose specs point into the file that set the
// value (an override file when it did).
type Pos struct {
	File  string
	Range loc.Range
}

// Spec is the runtime configuration of one container (a compose service,
// a `docker run` command, an inspected container). Unset values are zero;
// Set records which keys were given explicitly when that matters.
type Spec struct {
	// Name is the service name, the --name of docker run, or the container
	// name from inspect.
	Name   string
	Source Source
	Image  string
	// Build is true when compose builds the image (build: key).
	Build bool
	// Partial is true for a compose service that the files loaded only
	// overlay: it has no image, build or extends there, so it cannot run
	// as written and the file that defines it is elsewhere (an override
	// linted on its own). A key it does not set may be set there; rules
	// judge what it sets, not what it lacks.
	Partial bool
	// BuildContext and BuildDockerfile are the build context directory and
	// the Dockerfile path of a compose service that builds its image,
	// resolved against the project directory (the first compose file's
	// directory, or an extends base file's) the way compose resolves them;
	// they stay relative when the compose path is. Both are empty for a
	// remote context (a Git URL); BuildDockerfile is empty for
	// dockerfile_inline.
	BuildContext, BuildDockerfile string
	// User as given (`user:`, `--user`, Config.User); empty when unset.
	User       string
	Privileged bool
	// CapAdd and CapDrop are normalised: upper case, without CAP_, "ALL"
	// as a word.
	CapAdd, CapDrop []string
	ReadOnly        bool
	Tmpfs           []string
	// SecurityOpt holds raw values (no-new-privileges:true, seccomp=...,
	// apparmor=..., label=...).
	SecurityOpt []string
	// Namespace modes: "host", "container:x", "service:x", "" (default),
	// "private".
	NetworkMode, PidMode, IpcMode, UtsMode, UsernsMode string
	CgroupParent                                       string
	// LoggingDriver is the log driver (`logging.driver`, --log-driver,
	// HostConfig.LogConfig.Type); empty means the daemon's default.
	LoggingDriver string
	Mounts        []Mount
	Devices       []string
	Ports         []Port
	Expose        []string
	// Networks the container joins (compose service networks); empty
	// means the default network.
	Networks []string
	// DependsOn and Links name the compose services this one declares it
	// talks to (`depends_on`, `links`, by service name, aliases dropped):
	// the clients of a datastore are learnt from them rather than guessed.
	DependsOn, Links []string
	// APISocket is compose's `use_api_socket: true`: the engine's API
	// socket, and the user's registry credentials, are given to the
	// container.
	APISocket bool
	// Resource limits; zero means unlimited.
	MemoryBytes int64
	NanoCPUs    int64
	PidsLimit   int64
	Env         []EnvVar
	// EnvIncomplete is true when an env_file the service names could not
	// be read: its environment holds more than Env says.
	EnvIncomplete bool
	// Profiles are the compose profiles the service belongs to; empty
	// means it always runs. Services of disjoint profiles never run
	// together.
	Profiles []string
	// Secrets are compose secrets (or --secret) the container uses.
	Secrets     []string
	Healthcheck *Healthcheck
	Restart     Restart
	Ulimits     []Ulimit
	// AppArmorProfile, ProcessLabel and MountLabel are the mandatory access
	// control the engine applied (inspect's AppArmorProfile, ProcessLabel,
	// MountLabel). MACReported is true when the source reports them (an
	// inspect document that has the AppArmorProfile key), so that an empty
	// profile means "none applied" rather than "not known"; compose files
	// and docker run lines leave it false.
	AppArmorProfile, ProcessLabel, MountLabel string
	MACReported                               bool
	// Where maps model keys (see the Key* constants) to the place they were
	// set; Pos(key) falls back to Self.
	Where map[string]Pos
	// Unresolved holds the keys (Key* constants) whose value in the file
	// takes a variable that was not set when it was loaded (`image:
	// postgres:${VERSION}` without VERSION): the model's value is not
	// what runs, so rules do not judge it.
	Unresolved map[string]bool
	// Self is where the container is defined: the service's key line, the
	// line where `docker run` starts, line 1 of an inspect document.
	Self Pos
	// Live holds what only a live engine shows (PID 1's user, the seccomp
	// and AppArmor confinement in force, health, drift); nil otherwise.
	Live *Live
}

// Mount is a bind mount, named volume or tmpfs.
type Mount struct {
	Type        string // bind, volume, tmpfs, npipe
	Source      string // host path or volume name
	Target      string
	ReadOnly    bool
	Propagation string // rshared, shared, ...
	Where       Pos
}

// Port is one published port.
type Port struct {
	HostIP        string // "" means all interfaces
	HostPort      string
	ContainerPort string
	Protocol      string
	Where         Pos
}

// EnvVar is one environment variable given to the container.
type EnvVar struct {
	Name  string
	Value string
	// FromFile is true for values that came from an env_file.
	FromFile bool
	// Literal is false when the value is interpolated from the user's
	// environment (${VAR}) rather than written in the file.
	Literal bool
	// Raw is the value as written, before interpolation (compose), or as
	// given on the command line with its $VAR kept (docker run); empty when
	// no value is given. A rule can tell from it which part of a mixed
	// value (postgres://${USER}:pw@db) is literal.
	Raw   string
	Where Pos
}

// Healthcheck is the container's healthcheck configuration.
type Healthcheck struct {
	Disabled bool
	Test     []string
	Where    Pos
}

// Restart is the restart policy.
type Restart struct {
	Name       string // "", no, always, unless-stopped, on-failure
	MaxRetries int
	Where      Pos
}

// Ulimit is one ulimit override.
type Ulimit struct {
	Name       string
	Soft, Hard int64
	Where      Pos
}

// Keys for Spec.Where.
const (
	KeyImage        = "image"
	KeyUser         = "user"
	KeyPrivileged   = "privileged"
	KeyCapAdd       = "cap_add"
	KeyCapDrop      = "cap_drop"
	KeyReadOnly     = "read_only"
	KeySecurityOpt  = "security_opt"
	KeyNetworkMode  = "network_mode"
	KeyPid          = "pid"
	KeyIpc          = "ipc"
	KeyUts          = "uts"
	KeyUserns       = "userns_mode"
	KeyCgroupParent = "cgroup_parent"
	KeyLogging      = "logging"
	KeyDevices      = "devices"
	KeyMemory       = "mem_limit"
	KeyCPUs         = "cpus"
	KeyPids         = "pids_limit"
	KeyEnvironment  = "environment"
	KeyHealthcheck  = "healthcheck"
	KeyRestart      = "restart"
	KeyNetworks     = "networks"
	KeyDependsOn    = "depends_on"
	KeyLinks        = "links"
	KeyAPISocket    = "use_api_socket"
	KeyPorts        = "ports"
	KeyVolumes      = "volumes"
	KeyTmpfs        = "tmpfs"
	KeyUlimits      = "ulimits"
	KeySecrets      = "secrets"
	// KeyBuild locates a compose service's build: key.
	KeyBuild = "build"
	// KeyAppArmorProfile locates inspect's AppArmorProfile.
	KeyAppArmorProfile = "apparmor_profile"
)

// Pos returns where a key was set, or where the container is defined.
func (s *Spec) Pos(key string) Pos {
	if p, ok := s.Where[key]; ok && p.Range.Line > 0 {
		return p
	}
	return s.Self
}

// NormalizeCap upper-cases a capability name and strips the CAP_ prefix, as
// docs/contract.md fixes for comparisons.
func NormalizeCap(c string) string {
	c = strings.ToUpper(strings.TrimSpace(c))
	return strings.TrimPrefix(c, "CAP_")
}

// HasCap reports whether the container effectively holds a capability: a
// privileged container holds all of them whatever CapAdd says.
func (s *Spec) HasCap(c string) bool {
	if s.Privileged {
		return true
	}
	c = NormalizeCap(c)
	for _, x := range s.CapAdd {
		if x == c || x == "ALL" {
			return true
		}
	}
	return false
}

// dockerDefaultCaps is Docker's default capability set.
var dockerDefaultCaps = []string{"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}

// DropsAll reports whether cap_drop contains ALL, or names every default
// capability, which is how Podman's inspect reports `--cap-drop ALL`.
func (s *Spec) DropsAll() bool {
	dropped := map[string]bool{}
	for _, x := range s.CapDrop {
		if x == "ALL" {
			return true
		}
		dropped[x] = true
	}
	for _, c := range dockerDefaultCaps {
		if !dropped[c] {
			return false
		}
	}
	return true
}

// NoNewPrivileges reports whether security_opt sets no-new-privileges.
func (s *Spec) NoNewPrivileges() bool {
	for _, o := range s.SecurityOpt {
		o = strings.ToLower(strings.ReplaceAll(o, "=", ":"))
		if o == "no-new-privileges" || o == "no-new-privileges:true" {
			return true
		}
	}
	return false
}

// SecurityOptValue returns the value of a security option such as seccomp
// or apparmor ("unconfined"), accepting both `key=value` and `key:value`.
func (s *Spec) SecurityOptValue(key string) (string, bool) {
	for _, o := range s.SecurityOpt {
		k, v, ok := strings.Cut(o, "=")
		if !ok {
			k, v, ok = strings.Cut(o, ":")
		}
		if ok && strings.EqualFold(strings.TrimSpace(k), key) {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

package container

// Live is what a running engine shows about a container beyond its
// configuration: its identity, its state, what the kernel enforces on its
// first process, and how its filesystem has drifted from its image. It is
// nil for containers read from files (compose, docker run lines, inspect
// documents); rules over it stay quiet then.
type Live struct {
	// ID is the full container id; ImageDigest the image id it runs
	// (sha256:...), which names the exact image whatever its tag.
	ID, ImageDigest string
	// Status is the engine's state: created, running, paused, restarting,
	// exited, dead.
	Status string
	// Running is true when the container has a process; the process facts
	// below are empty otherwise and rules judge the configuration only.
	Running bool
	// Pid is PID 1 of the container as the host sees it, 0 when not
	// running.
	Pid int
	// PID1UID is the effective user id of PID 1 (from /proc/PID/status, or
	// the engine's top), -1 when unknown. PID1User is the user name or id
	// as the engine's top reports it.
	PID1UID  int
	PID1User string
	// Processes are the command lines of the container's processes (the
	// engine's top), when it is running.
	Processes []string
	// Seccomp is the seccomp mode of PID 1 from /proc/PID/status:
	// "disabled", "strict" or "filter"; "" when it could not be read.
	Seccomp string
	// AppArmor is PID 1's AppArmor label from /proc/PID/attr/current, such
	// as "docker-default (enforce)" or "unconfined"; "" when it could not
	// be read (no AppArmor on the host, or no access).
	AppArmor string
	// Health is the healthcheck state (starting, healthy, unhealthy), ""
	// without a healthcheck; FailingStreak the consecutive failed probes.
	Health        string
	FailingStreak int
	// RestartCount is how often the engine has restarted the container.
	RestartCount int
	// Compose names the compose project and service that made the
	// container (its com.docker.compose.* labels), empty otherwise.
	ComposeProject, ComposeService string
	// ComposeFiles are the compose files the project was made from (the
	// com.docker.compose.project.config_files label).
	ComposeFiles []string
	// Changes is the container's filesystem drift from its image; nil when
	// it was not read (ChangesRead false).
	Changes     []Change
	ChangesRead bool
	// Signature is the verdict on the signatures of the image the
	// container runs (audit --require-signature); nil when not asked.
	Signature *SignatureVerdict
}

// SignatureVerdict is the outcome of verifying the cosign signatures of a
// container's image in its registry. The engine makes the registry calls;
// the rules only read the verdict.
type SignatureVerdict struct {
	// Verified is true when a signature under a trusted key names the
	// image's digest.
	Verified bool `json:"verified,omitempty"`
	// Ref is the repo digest verified (registry/repo@sha256:...), empty
	// when the image has none.
	Ref string `json:"ref,omitempty"`
	// Problem says why the image does not verify: unsigned, wrongly
	// signed, no registry digest, registry unreachable.
	Problem string `json:"problem,omitempty"`
}

// ChangeKind is how a path differs from the image.
type ChangeKind string

// Kinds of filesystem change, as the engine's /changes reports them.
const (
	Added    ChangeKind = "added"
	Modified ChangeKind = "modified"
	Deleted  ChangeKind = "deleted"
)

// Change is one path that differs from the container's image.
type Change struct {
	Path string
	Kind ChangeKind
	// Mode is the file's mode bits as stat reports them (type, setuid,
	// setgid, permissions); ModeKnown is false when the file could not be
	// examined (a deleted file, an upper layer that cannot be read).
	Mode      uint32
	ModeKnown bool
	// Regular is true for a regular file (not a directory or link).
	Regular bool
}

// Mode bits used on Change.Mode, as Go's io/fs reports them.
const (
	ModeSetuid uint32 = 1 << 23 // fs.ModeSetuid
	ModeSetgid uint32 = 1 << 22 // fs.ModeSetgid
)

// Executable reports whether a changed file is a regular file with an
// execute bit.
func (c Change) Executable() bool { return c.ModeKnown && c.Regular && c.Mode&0o111 != 0 }

// SetID reports whether a changed file is setuid or setgid.
func (c Change) SetID() bool {
	return c.ModeKnown && c.Regular && c.Mode&(ModeSetuid|ModeSetgid) != 0
}

// Daemon is what the engine and its configuration say about the host's
// container daemon (docker or podman), for the daemon rules.
type Daemon struct {
	// Name is the host name the engine reports; Engine is "docker" or
	// "podman"; Version the engine's version; Host the address audited.
	Name, Engine, Version, Host string
	// Rootless and UserNamespaces are true when the daemon runs rootless or
	// remaps container root to an unprivileged host user (userns-remap).
	Rootless, UserNamespaces bool
	// Seccomp is the daemon's default seccomp profile ("default",
	// "builtin", a path, "unconfined"); "" when the daemon reports no
	// seccomp support.
	Seccomp string
	// AppArmor and SELinux are true when the daemon confines containers
	// with them.
	AppArmor, SELinux bool
	// ICC is whether containers on the default bridge may talk to each
	// other; ICCKnown is false when it could not be read.
	ICC, ICCKnown bool
	LiveRestore   bool
	// UserlandProxy is the docker-proxy setting (default on);
	// UserlandProxySet is true when daemon.json or the daemon's flags set it.
	UserlandProxy, UserlandProxySet bool
	// NoNewPrivileges is the daemon-wide no-new-privileges default.
	NoNewPrivileges bool
	// LogDriver is the default log driver; LogMaxSize the daemon's default
	// max-size log option, "" when none is set.
	LogDriver, LogMaxSize string
	// InsecureRegistries are registries (and CIDRs beyond loopback) pulled
	// from without TLS verification.
	InsecureRegistries []string
	// TCPHosts are the plain tcp:// addresses the daemon listens on
	// without TLS client verification; TLSVerify is the tlsverify setting.
	TCPHosts  []string
	TLSVerify bool
	// ContentTrust is DOCKER_CONTENT_TRUST=1 in the auditing environment
	// (the client side, as the CIS benchmark checks it).
	ContentTrust bool
	// ConfigFile is the daemon.json that was read, "" when none could be.
	ConfigFile string
	// Where maps daemon settings (daemon.json keys) to the line that set
	// them; Self is where the daemon itself is reported.
	Where map[string]Pos
	Self  Pos
}

// Pos returns where a daemon setting was set, or the daemon's own place.
func (d *Daemon) Pos(key string) Pos {
	if p, ok := d.Where[key]; ok && p.Range.Line > 0 {
		return p
	}
	return d.Self
}

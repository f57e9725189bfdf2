package inspect

import (
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// toSpec maps one inspected container. at finds the line of a key path.
func toSpec(path string, d *doc, line int, at func(keys ...string) int) *container.Spec {
	self := container.Pos{File: path, Range: loc.Line(line)}
	b := &specBuilder{path: path, at: at, self: self, d: d, s: &container.Spec{
		Name: strings.TrimPrefix(d.Name, "/"), Source: container.SourceInspect,
		Self: self, Where: map[string]container.Pos{},
	}}
	b.cfg = d.Config
	if b.cfg == nil {
		b.cfg = &config{}
	}
	b.identity()
	b.mounts()
	b.devicesAndPorts()
	b.limitsAndHealth()
	s := b.s
	if s.Name == "" {
		s.Name = d.ID
		if len(s.Name) > 12 {
			s.Name = s.Name[:12]
		}
		if s.Name == "" {
			s.Name = s.Image
		}
	}
	return s
}

// specBuilder fills one container's Spec from its inspect object and
// records the line of each value.
type specBuilder struct {
	path string
	at   func(keys ...string) int
	self container.Pos
	d    *doc
	cfg  *config
	s    *container.Spec
}

// pos is the position of a key, or the container's own when the key is
// not in the document.
func (b *specBuilder) pos(keys ...string) container.Pos {
	if l := b.at(keys...); l > 0 {
		return container.Pos{File: b.path, Range: loc.Line(l)}
	}
	return b.self
}

// set records where key was set, when the document has it.
func (b *specBuilder) set(key string, keys ...string) {
	if l := b.at(keys...); l > 0 {
		b.s.Where[key] = container.Pos{File: b.path, Range: loc.Line(l)}
	}
}

// identity reads the image, user, privileges, confinement and namespaces.
func (b *specBuilder) identity() {
	s, d, hc, cfg, set := b.s, b.d, b.d.HostConfig, b.cfg, b.set
	s.Image = cfg.Image
	set(container.KeyImage, "Config", "Image")
	if s.Image == "" {
		s.Image = d.ImageName
		if s.Image == "" {
			s.Image = d.Image
		}
	}
	s.User = cfg.User
	set(container.KeyUser, "Config", "User")
	s.Privileged = hc.Privileged
	set(container.KeyPrivileged, "HostConfig", "Privileged")
	for _, c := range hc.CapAdd {
		s.CapAdd = append(s.CapAdd, container.NormalizeCap(c))
	}
	set(container.KeyCapAdd, "HostConfig", "CapAdd")
	for _, c := range hc.CapDrop {
		s.CapDrop = append(s.CapDrop, container.NormalizeCap(c))
	}
	set(container.KeyCapDrop, "HostConfig", "CapDrop")
	s.ReadOnly = hc.ReadonlyRootfs
	set(container.KeyReadOnly, "HostConfig", "ReadonlyRootfs")
	for t := range hc.Tmpfs {
		s.Tmpfs = append(s.Tmpfs, t)
	}
	sort.Strings(s.Tmpfs)
	set(container.KeyTmpfs, "HostConfig", "Tmpfs")
	s.SecurityOpt = hc.SecurityOpt
	set(container.KeySecurityOpt, "HostConfig", "SecurityOpt")
	// The confinement applied (CIS 5.2, 5.3): docker-default or a named
	// profile, "unconfined" for --privileged, "" when the host has no
	// AppArmor; the SELinux labels on SELinux hosts.
	if d.AppArmorProfile != nil {
		s.MACReported = true
		s.AppArmorProfile = *d.AppArmorProfile
		set(container.KeyAppArmorProfile, "AppArmorProfile")
	}
	s.ProcessLabel, s.MountLabel = d.ProcessLabel, d.MountLabel
	s.NetworkMode = hc.NetworkMode
	set(container.KeyNetworkMode, "HostConfig", "NetworkMode")
	s.PidMode = hc.PidMode
	set(container.KeyPid, "HostConfig", "PidMode")
	s.IpcMode = hc.IpcMode
	set(container.KeyIpc, "HostConfig", "IpcMode")
	s.UtsMode = hc.UTSMode
	set(container.KeyUts, "HostConfig", "UTSMode")
	s.UsernsMode = hc.UsernsMode
	set(container.KeyUserns, "HostConfig", "UsernsMode")
	s.CgroupParent = hc.CgroupParent
	set(container.KeyCgroupParent, "HostConfig", "CgroupParent")
	s.LoggingDriver = hc.LogConfig.Type
	set(container.KeyLogging, "HostConfig", "LogConfig")
}

// mounts reads the mounts in force and, failing those, the binds asked for.
func (b *specBuilder) mounts() {
	s, d, hc, pos, set := b.s, b.d, b.d.HostConfig, b.pos, b.set
	// Mounts is the effective list (binds, volumes, tmpfs); Binds is what
	// was asked for, used when Mounts is absent (a created container from
	// an older engine, or a hand-written document).
	mountsPos := pos("Mounts")
	seen := map[string]bool{}
	for _, m := range d.Mounts {
		src := m.Source
		if m.Type == "volume" && m.Name != "" {
			src = m.Name
		}
		s.Mounts = append(s.Mounts, container.Mount{Type: m.Type, Source: src, Target: m.Destination, ReadOnly: !m.RW, Propagation: m.Propagation, Where: mountsPos})
		seen[m.Destination] = true
		if m.Type == "tmpfs" {
			s.Tmpfs = append(s.Tmpfs, m.Destination)
		}
	}
	bindsPos := pos("HostConfig", "Binds")
	for _, b := range hc.Binds {
		m, ok := parseBind(b)
		if !ok || seen[m.Target] {
			continue
		}
		m.Where = bindsPos
		s.Mounts = append(s.Mounts, m)
	}
	if len(d.Mounts) > 0 {
		s.Where[container.KeyVolumes] = mountsPos
	} else {
		set(container.KeyVolumes, "HostConfig", "Binds")
	}
}

// devicesAndPorts reads devices, published and exposed ports.
func (b *specBuilder) devicesAndPorts() {
	s, hc, cfg, pos, set := b.s, b.d.HostConfig, b.cfg, b.pos, b.set
	for _, dv := range hc.Devices {
		dev := dv.PathOnHost
		if dv.PathInContainer != "" && dv.PathInContainer != dv.PathOnHost || dv.CgroupPermissions != "" && dv.CgroupPermissions != "rwm" {
			dev += ":" + dv.PathInContainer
		}
		if dv.CgroupPermissions != "" && dv.CgroupPermissions != "rwm" {
			dev += ":" + dv.CgroupPermissions
		}
		s.Devices = append(s.Devices, dev)
	}
	set(container.KeyDevices, "HostConfig", "Devices")
	portsPos := pos("HostConfig", "PortBindings")
	keys := make([]string, 0, len(hc.PortBindings))
	for k := range hc.PortBindings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		port, proto, _ := strings.Cut(k, "/")
		if proto == "" {
			proto = "tcp"
		}
		for _, b := range hc.PortBindings[k] {
			ip := b.HostIp
			if ip == "0.0.0.0" || ip == "::" {
				ip = ""
			}
			s.Ports = append(s.Ports, container.Port{HostIP: ip, HostPort: b.HostPort, ContainerPort: port, Protocol: proto, Where: portsPos})
		}
	}
	if len(s.Ports) > 0 {
		s.Where[container.KeyPorts] = portsPos
	}
	for k := range cfg.ExposedPorts {
		s.Expose = append(s.Expose, k)
	}
	sort.Strings(s.Expose)
}

// limitsAndHealth reads resource limits, the environment, the healthcheck,
// the restart policy and ulimits.
func (b *specBuilder) limitsAndHealth() {
	s, hc, cfg, pos, set := b.s, b.d.HostConfig, b.cfg, b.pos, b.set
	s.MemoryBytes = hc.Memory
	set(container.KeyMemory, "HostConfig", "Memory")
	s.NanoCPUs = hc.NanoCpus
	if s.NanoCPUs == 0 && hc.CpuQuota > 0 {
		period := hc.CpuPeriod
		if period <= 0 {
			period = 100000
		}
		s.NanoCPUs = hc.CpuQuota * 1e9 / period
		set(container.KeyCPUs, "HostConfig", "CpuQuota")
	} else {
		set(container.KeyCPUs, "HostConfig", "NanoCpus")
	}
	if hc.PidsLimit != nil && *hc.PidsLimit > 0 {
		s.PidsLimit = *hc.PidsLimit
	}
	set(container.KeyPids, "HostConfig", "PidsLimit")
	envPos := pos("Config", "Env")
	for _, e := range cfg.Env {
		k, v, _ := strings.Cut(e, "=")
		// Inspect shows the container's final environment, image ENV
		// included; every value is literal there.
		s.Env = append(s.Env, container.EnvVar{Name: k, Value: v, Raw: v, Literal: true, Where: envPos})
	}
	if len(cfg.Env) > 0 {
		s.Where[container.KeyEnvironment] = envPos
	}
	if cfg.Healthcheck != nil {
		h := &container.Healthcheck{Test: cfg.Healthcheck.Test, Where: pos("Config", "Healthcheck")}
		if len(h.Test) > 0 && strings.EqualFold(h.Test[0], "NONE") {
			h.Disabled = true
		}
		s.Healthcheck = h
		s.Where[container.KeyHealthcheck] = h.Where
	}
	s.Restart = container.Restart{Name: hc.RestartPolicy.Name, MaxRetries: hc.RestartPolicy.MaximumRetryCount, Where: pos("HostConfig", "RestartPolicy")}
	set(container.KeyRestart, "HostConfig", "RestartPolicy")
	ulPos := pos("HostConfig", "Ulimits")
	for _, u := range hc.Ulimits {
		s.Ulimits = append(s.Ulimits, container.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard, Where: ulPos})
	}
	if len(hc.Ulimits) > 0 {
		s.Where[container.KeyUlimits] = ulPos
	}
}

// parseBind reads a HostConfig.Binds entry, SRC:DST[:OPTS].
func parseBind(b string) (container.Mount, bool) {
	parts := strings.Split(b, ":")
	if len(parts) < 2 {
		return container.Mount{}, false
	}
	m := container.Mount{Type: "volume", Source: parts[0], Target: parts[1]}
	if strings.HasPrefix(m.Source, "/") {
		m.Type = "bind"
	}
	if len(parts) > 2 {
		for _, o := range strings.Split(parts[2], ",") {
			switch o {
			case "ro":
				m.ReadOnly = true
			case "shared", "rshared", "slave", "rslave", "private", "rprivate":
				m.Propagation = o
			}
		}
	}
	return m, true
}

package dockerrun

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	units "github.com/docker/go-units"
	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// arg is one shell word of a command: its value with quotes removed, and
// whether it holds an expansion ($VAR, $(cmd)) whose value is unknown.
type arg struct {
	val     string
	dynamic bool
	pos     loc.Range
}

// valueFlags are the docker/podman run flags that take a value; every
// other flag is a boolean.
var valueFlags = map[string]bool{
	"add-host": true, "annotation": true, "attach": true, "blkio-weight": true, "blkio-weight-device": true,
	"cap-add": true, "cap-drop": true, "cgroup-parent": true, "cgroupns": true, "cidfile": true,
	"cpu-count": true, "cpu-percent": true, "cpu-period": true, "cpu-quota": true, "cpu-rt-period": true,
	"cpu-rt-runtime": true, "cpu-shares": true, "cpus": true, "cpuset-cpus": true, "cpuset-mems": true,
	"device": true, "device-cgroup-rule": true, "device-read-bps": true, "device-read-iops": true,
	"device-write-bps": true, "device-write-iops": true, "dns": true, "dns-option": true, "dns-opt": true,
	"dns-search": true, "domainname": true, "entrypoint": true, "env": true, "env-file": true, "expose": true,
	"gpus": true, "group-add": true, "health-cmd": true, "health-interval": true, "health-retries": true,
	"health-start-period": true, "health-start-interval": true, "health-timeout": true, "hostname": true,
	"io-maxbandwidth": true, "io-maxiops": true, "ip": true, "ip6": true, "ipc": true, "isolation": true,
	"kernel-memory": true, "label": true, "label-file": true, "link": true, "link-local-ip": true,
	"log-driver": true, "log-opt": true, "mac-address": true, "memory": true, "memory-reservation": true,
	"memory-swap": true, "memory-swappiness": true, "mount": true, "name": true, "network": true, "net": true,
	"network-alias": true, "net-alias": true, "oom-score-adj": true, "pid": true, "pids-limit": true,
	"platform": true, "publish": true, "pull": true, "restart": true, "runtime": true, "security-opt": true,
	"shm-size": true, "stop-signal": true, "stop-timeout": true, "storage-opt": true, "sysctl": true,
	"tmpfs": true, "ulimit": true, "user": true, "userns": true, "uts": true, "volume": true,
	"volume-driver": true, "volumes-from": true, "workdir": true, "detach-keys": true, "cgroup-conf": true,
	// podman
	"arch": true, "authfile": true, "cgroups": true, "chrootdirs": true, "conmon-pidfile": true, "creds": true,
	"decryption-key": true, "env-merge": true, "gidmap": true, "uidmap": true, "hostuser": true,
	"image-volume": true, "init-path": true, "os": true, "passwd-entry": true, "personality": true,
	"pidfile": true, "pod": true, "pod-id-file": true, "preserve-fds": true, "rdt-class": true, "requires": true,
	"sdnotify": true, "seccomp-policy": true, "secret": true, "subgidname": true, "subuidname": true,
	"timeout": true, "tz": true, "umask": true, "variant": true, "hosts-file": true, "retry": true,
	"retry-delay": true, "unsetenv": true, "health-on-failure": true, "health-log-destination": true,
	"health-max-log-count": true, "health-max-log-size": true, "health-startup-cmd": true,
	"health-startup-interval": true, "health-startup-retries": true, "health-startup-success": true,
	"health-startup-timeout": true, "log-level": true, "group-entry": true, "mount-propagation": true,
}

// shortFlags maps the one-letter flags to their long names.
var shortFlags = map[byte]string{
	'a': "attach", 'c': "cpu-shares", 'e': "env", 'h': "hostname", 'l': "label", 'm': "memory",
	'p': "publish", 'u': "user", 'v': "volume", 'w': "workdir",
	'd': "detach", 'i': "interactive", 't': "tty", 'P': "publish-all", 'q': "quiet",
}

// flag is one parsed option.
type flag struct {
	name  string
	value string
	// dynamic is true when the value holds an expansion.
	dynamic bool
	pos     loc.Range
}

// command is one recognised `docker run`-like command line.
type command struct {
	tool  string // docker, podman
	flags []flag
	image arg
	start loc.Range
}

// recognise checks whether words form a container run/create command and
// splits its options. Wrappers (sudo, env, exec, nohup, time, command) and
// docker's global options before the subcommand are skipped.
func recognise(words []arg) (*command, bool) {
	i := 0
	for i < len(words) {
		w := words[i].val
		switch {
		case w == "sudo" || w == "doas":
			i++
			for i < len(words) && strings.HasPrefix(words[i].val, "-") {
				if words[i].val == "-u" || words[i].val == "-g" {
					i++
				}
				i++
			}
			continue
		case w == "env":
			i++
			for i < len(words) && (strings.Contains(words[i].val, "=") || strings.HasPrefix(words[i].val, "-")) {
				i++
			}
			continue
		case w == "exec" || w == "nohup" || w == "time" || w == "command":
			i++
			continue
		}
		break
	}
	if i >= len(words) {
		return nil, false
	}
	tool := filepath.Base(words[i].val)
	if tool != "docker" && tool != "podman" && tool != "nerdctl" {
		return nil, false
	}
	start := words[i].pos
	i++
	// Global options: docker --context x, -H host, --log-level; podman
	// --remote, --root.
	for i < len(words) && strings.HasPrefix(words[i].val, "-") {
		w := words[i].val
		i++
		if !strings.Contains(w, "=") && globalValue[strings.TrimLeft(w, "-")] {
			i++
		}
	}
	if i < len(words) && words[i].val == "container" {
		i++
	}
	if i >= len(words) || (words[i].val != "run" && words[i].val != "create") {
		return nil, false
	}
	i++
	c := &command{tool: tool, start: start}
	for i < len(words) {
		w := words[i]
		if w.val == "--" {
			i++
			break
		}
		if !strings.HasPrefix(w.val, "-") || w.val == "-" {
			break
		}
		if strings.HasPrefix(w.val, "--") {
			name, value, hasValue := strings.Cut(w.val[2:], "=")
			f := flag{name: name, pos: w.pos, dynamic: w.dynamic}
			switch {
			case hasValue:
				f.value = value
			case valueFlags[name]:
				if i+1 < len(words) {
					i++
					f.value, f.dynamic = words[i].val, words[i].dynamic
				}
			default:
				f.value = "true"
			}
			c.flags = append(c.flags, f)
			i++
			continue
		}
		// A cluster of short flags: -it, -dp 80:80, -eFOO=bar.
		cluster := w.val[1:]
		for j := 0; j < len(cluster); j++ {
			name, ok := shortFlags[cluster[j]]
			if !ok {
				name = string(cluster[j])
			}
			f := flag{name: name, pos: w.pos, value: "true"}
			if valueFlags[name] {
				if rest := cluster[j+1:]; rest != "" {
					f.value, f.dynamic = strings.TrimPrefix(rest, "="), w.dynamic
				} else if i+1 < len(words) {
					i++
					f.value, f.dynamic = words[i].val, words[i].dynamic
				}
				c.flags = append(c.flags, f)
				break
			}
			c.flags = append(c.flags, f)
		}
		i++
	}
	if i < len(words) {
		c.image = words[i]
	}
	return c, true
}

// globalValue are docker/podman global options that take a value.
var globalValue = map[string]bool{
	"context": true, "c": true, "H": true, "host": true, "log-level": true, "l": true, "config": true,
	"tlscacert": true, "tlscert": true, "tlskey": true, "url": true, "connection": true, "root": true,
	"runroot": true, "storage-driver": true, "cgroup-manager": true, "events-backend": true, "identity": true,
	"runtime": true, "tmpdir": true, "network-cmd-path": true, "module": true, "conmon": true,
}

// Options configure the mapping of a command to a Spec.
type Options struct {
	// Dir is the directory relative --env-file paths are read from; ""
	// means they are not read.
	Dir string
}

// toSpec maps a recognised command's flags to the runtime model.
func toSpec(file string, c *command, o Options) *container.Spec {
	self := container.Pos{File: file, Range: c.start}
	s := &container.Spec{Source: container.SourceDockerRun, Self: self, Where: map[string]container.Pos{}}
	s.Image = c.image.val
	if c.image.val != "" {
		s.Where[container.KeyImage] = container.Pos{File: file, Range: c.image.pos}
	}
	var cpuQuota, cpuPeriod int64
	for _, f := range c.flags {
		pos := container.Pos{File: file, Range: f.pos}
		at := func(key string) { s.Where[key] = pos }
		item := func(key, it string) {
			at(key)
			if _, ok := s.Where[container.ItemKey(key, it)]; !ok {
				s.Where[container.ItemKey(key, it)] = pos
			}
		}
		switch f.name {
		case "privileged":
			s.Privileged = boolValue(f.value)
			at(container.KeyPrivileged)
		case "read-only":
			s.ReadOnly = boolValue(f.value)
			at(container.KeyReadOnly)
		case "cap-add", "cap-drop":
			for _, c := range strings.Split(f.value, ",") {
				c = container.NormalizeCap(c)
				if c == "" {
					continue
				}
				if f.name == "cap-add" {
					s.CapAdd = append(s.CapAdd, c)
					item(container.KeyCapAdd, c)
				} else {
					s.CapDrop = append(s.CapDrop, c)
					item(container.KeyCapDrop, c)
				}
			}
		case "tmpfs":
			path, _, _ := strings.Cut(f.value, ":")
			s.Tmpfs = append(s.Tmpfs, path)
			s.Mounts = append(s.Mounts, container.Mount{Type: "tmpfs", Target: path, Where: pos})
			item(container.KeyTmpfs, path)
		case "security-opt":
			s.SecurityOpt = append(s.SecurityOpt, f.value)
			item(container.KeySecurityOpt, f.value)
		case "network", "net":
			s.NetworkMode = f.value
			at(container.KeyNetworkMode)
			switch v := f.value; {
			case v == "host" || v == "none" || v == "bridge" || v == "default" || v == "private" || v == "slirp4netns" || v == "pasta" ||
				strings.HasPrefix(v, "container:") || strings.HasPrefix(v, "ns:") || strings.HasPrefix(v, "slirp4netns:") || strings.HasPrefix(v, "pasta:"):
			default:
				name, _, _ := strings.Cut(v, ":")
				s.Networks = append(s.Networks, name)
				item(container.KeyNetworks, name)
			}
		case "pid":
			s.PidMode = f.value
			at(container.KeyPid)
		case "ipc":
			s.IpcMode = f.value
			at(container.KeyIpc)
		case "uts":
			s.UtsMode = f.value
			at(container.KeyUts)
		case "userns":
			s.UsernsMode = f.value
			at(container.KeyUserns)
		case "cgroup-parent":
			s.CgroupParent = f.value
			at(container.KeyCgroupParent)
		case "log-driver":
			s.LoggingDriver = f.value
			at(container.KeyLogging)
		case "volume":
			if m, ok := parseVolume(f.value); ok {
				m.Where = pos
				s.Mounts = append(s.Mounts, m)
			}
			at(container.KeyVolumes)
		case "mount":
			if m, ok := parseMount(f.value); ok {
				m.Where = pos
				s.Mounts = append(s.Mounts, m)
				if m.Type == "tmpfs" {
					s.Tmpfs = append(s.Tmpfs, m.Target)
				}
			}
			at(container.KeyVolumes)
		case "device":
			d := normalizeDevice(f.value)
			s.Devices = append(s.Devices, d)
			item(container.KeyDevices, d)
		case "publish":
			for _, p := range parsePort(f.value) {
				p.Where = pos
				s.Ports = append(s.Ports, p)
			}
			at(container.KeyPorts)
		case "expose":
			s.Expose = append(s.Expose, f.value)
			item("expose", f.value)
		case "memory":
			if b, err := units.RAMInBytes(f.value); err == nil {
				s.MemoryBytes = b
			}
			at(container.KeyMemory)
		case "cpus":
			if v, err := strconv.ParseFloat(f.value, 64); err == nil && v > 0 && v < 1e6 {
				s.NanoCPUs = int64(v * 1e9)
			}
			at(container.KeyCPUs)
		case "cpu-quota":
			cpuQuota, _ = strconv.ParseInt(f.value, 10, 64)
			if _, ok := s.Where[container.KeyCPUs]; !ok {
				at(container.KeyCPUs)
			}
		case "cpu-period":
			cpuPeriod, _ = strconv.ParseInt(f.value, 10, 64)
		case "pids-limit":
			if v, err := strconv.ParseInt(f.value, 10, 64); err == nil && v > 0 {
				s.PidsLimit = v
			}
			at(container.KeyPids)
		case "env":
			name, val, hasVal := strings.Cut(f.value, "=")
			s.Env = append(s.Env, container.EnvVar{Name: name, Value: val, Raw: val, Literal: hasVal && !f.dynamic, Where: pos})
			at(container.KeyEnvironment)
		case "env-file":
			s.Env = append(s.Env, envFile(f.value, o.Dir, pos)...)
			at(container.KeyEnvironment)
		case "user":
			s.User = f.value
			at(container.KeyUser)
		case "health-cmd":
			if s.Healthcheck == nil || !s.Healthcheck.Disabled {
				s.Healthcheck = &container.Healthcheck{Test: []string{"CMD-SHELL", f.value}, Where: pos}
			}
			at(container.KeyHealthcheck)
		case "no-healthcheck":
			if boolValue(f.value) {
				s.Healthcheck = &container.Healthcheck{Disabled: true, Test: []string{"NONE"}, Where: pos}
				at(container.KeyHealthcheck)
			}
		case "restart":
			name, n, _ := strings.Cut(f.value, ":")
			s.Restart.Name = name
			s.Restart.MaxRetries, _ = strconv.Atoi(n)
			s.Restart.Where = pos
			at(container.KeyRestart)
		case "ulimit":
			if u, ok := parseUlimit(f.value); ok {
				u.Where = pos
				s.Ulimits = append(s.Ulimits, u)
			}
			at(container.KeyUlimits)
		case "secret":
			name, _, _ := strings.Cut(f.value, ",")
			s.Secrets = append(s.Secrets, name)
			item(container.KeySecrets, name)
		case "name":
			s.Name = f.value
		}
	}
	if s.NanoCPUs == 0 && cpuQuota > 0 {
		if cpuPeriod <= 0 {
			cpuPeriod = 100000
		}
		s.NanoCPUs = cpuQuota * 1e9 / cpuPeriod
	}
	if s.Name == "" {
		s.Name = s.Image
	}
	return s
}

func boolValue(v string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	return err == nil && b
}

// parseVolume reads -v [SRC:]DST[:OPTS].
func parseVolume(v string) (container.Mount, bool) {
	parts := strings.Split(v, ":")
	m := container.Mount{}
	switch len(parts) {
	case 1:
		m.Type, m.Target = "volume", parts[0]
		return m, m.Target != ""
	case 2, 3:
		m.Source, m.Target = parts[0], parts[1]
		if len(parts) == 3 {
			for _, o := range strings.Split(parts[2], ",") {
				switch o {
				case "ro", "readonly":
					m.ReadOnly = true
				case "shared", "rshared", "slave", "rslave", "private", "rprivate":
					m.Propagation = o
				}
			}
		}
	default:
		return m, false
	}
	m.Type = "volume"
	if m.Source == "" || strings.HasPrefix(m.Source, "/") || strings.HasPrefix(m.Source, ".") || strings.HasPrefix(m.Source, "~") || strings.HasPrefix(m.Source, "$") {
		m.Type = "bind"
	}
	return m, m.Target != ""
}

// parseMount reads --mount type=bind,src=/a,dst=/b,readonly,bind-propagation=rshared.
func parseMount(v string) (container.Mount, bool) {
	m := container.Mount{Type: "volume"}
	for _, field := range strings.Split(v, ",") {
		k, val, hasVal := strings.Cut(strings.TrimSpace(field), "=")
		k = strings.ToLower(k)
		switch k {
		case "type":
			m.Type = val
		case "source", "src":
			m.Source = val
		case "target", "destination", "dst":
			m.Target = val
		case "readonly", "ro":
			m.ReadOnly = !hasVal || boolValue(val)
		case "bind-propagation":
			m.Propagation = val
		}
	}
	return m, m.Target != ""
}

// normalizeDevice writes a --device value as compose's model does:
// SRC[:DST][:PERMS], leaving out DST when it equals SRC.
func normalizeDevice(v string) string {
	parts := strings.SplitN(v, ":", 3)
	src := parts[0]
	dst, perm := "", ""
	if len(parts) > 1 {
		dst = parts[1]
	}
	if len(parts) > 2 {
		perm = parts[2]
	}
	if len(parts) == 2 && !strings.HasPrefix(dst, "/") {
		dst, perm = "", parts[1]
	}
	out := src
	if dst != "" && dst != src || perm != "" && perm != "rwm" {
		if dst == "" {
			dst = src
		}
		out += ":" + dst
	}
	if perm != "" && perm != "rwm" {
		out += ":" + perm
	}
	return out
}

// parsePort reads -p [IP:][HOST:]CONTAINER[/PROTO]; IPv6 addresses may be
// bracketed.
func parsePort(v string) []container.Port {
	spec, proto, _ := strings.Cut(v, "/")
	if proto == "" {
		proto = "tcp"
	}
	var ip string
	if strings.HasPrefix(spec, "[") {
		if end := strings.Index(spec, "]"); end > 0 {
			ip = spec[1:end]
			spec = strings.TrimPrefix(spec[end+1:], ":")
		}
	} else if n := strings.Count(spec, ":"); n >= 2 {
		last := strings.LastIndex(spec, ":")
		hostPart := spec[:last]
		sep := strings.LastIndex(hostPart, ":")
		ip, spec = hostPart[:sep], hostPart[sep+1:]+spec[last:]
	}
	p := container.Port{HostIP: ip, Protocol: proto}
	if host, ctr, ok := strings.Cut(spec, ":"); ok {
		p.HostPort, p.ContainerPort = host, ctr
	} else {
		p.ContainerPort = spec
	}
	if p.ContainerPort == "" {
		return nil
	}
	return []container.Port{p}
}

// parseUlimit reads --ulimit NAME=SOFT[:HARD].
func parseUlimit(v string) (container.Ulimit, bool) {
	name, lim, ok := strings.Cut(v, "=")
	if !ok {
		return container.Ulimit{}, false
	}
	soft, hard, hasHard := strings.Cut(lim, ":")
	u := container.Ulimit{Name: name}
	u.Soft, _ = strconv.ParseInt(soft, 10, 64)
	u.Hard = u.Soft
	if hasHard {
		u.Hard, _ = strconv.ParseInt(hard, 10, 64)
	}
	return u, true
}

// envFile reads the variables of an --env-file when it can be found
// relative to dir.
func envFile(path, dir string, pos container.Pos) []container.EnvVar {
	if dir == "" || path == "" || strings.Contains(path, "$") {
		return nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > 1<<20 {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil || bytes.IndexByte(data, 0) >= 0 {
		return nil
	}
	var out []container.EnvVar
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		out = append(out, container.EnvVar{Name: k, Value: v, Raw: v, FromFile: true, Literal: ok, Where: pos})
	}
	return out
}

// words converts a parsed call's arguments; lineOffset and colOffset place
// them in the original file.
func words(call *syntax.CallExpr, src string, lineOffset int) []arg {
	out := make([]arg, 0, len(call.Args))
	for _, w := range call.Args {
		val, dyn := wordValue(w, src)
		start, end := w.Pos(), w.End()
		r := loc.Range{Line: int(start.Line()) + lineOffset, Col: int(start.Col()), EndLine: int(end.Line()) + lineOffset, EndCol: int(end.Col())}
		out = append(out, arg{val: val, dynamic: dyn, pos: r})
	}
	return out
}

// wordValue is the value of a word with quotes removed; expansions are
// kept as written and make the word dynamic.
func wordValue(w *syntax.Word, src string) (string, bool) {
	var b strings.Builder
	dyn := false
	var walk func(parts []syntax.WordPart, quoted bool)
	walk = func(parts []syntax.WordPart, quoted bool) {
		for _, p := range parts {
			switch x := p.(type) {
			case *syntax.Lit:
				if quoted {
					b.WriteString(x.Value)
				} else {
					b.WriteString(unescape(x.Value))
				}
			case *syntax.SglQuoted:
				b.WriteString(x.Value)
			case *syntax.DblQuoted:
				walk(x.Parts, true)
			default:
				dyn = true
				off, end := int(p.Pos().Offset()), int(p.End().Offset())
				if off >= 0 && end <= len(src) && off < end {
					b.WriteString(src[off:end])
				}
			}
		}
	}
	walk(w.Parts, false)
	return b.String(), dyn
}

func unescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

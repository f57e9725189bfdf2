package live

import (
	"encoding/json"
	"net/netip"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// infoDoc is the part of GET /info the daemon rules read. Podman's
// Docker-compatible API answers the same shape.
type infoDoc struct {
	Name               string
	ServerVersion      string
	SecurityOptions    []string
	LiveRestoreEnabled bool
	LoggingDriver      string
	RegistryConfig     *struct {
		InsecureRegistryCIDRs []string
		IndexConfigs          map[string]struct {
			Name   string
			Secure bool
		}
	}
}

// daemonConfig is the part of daemon.json the daemon rules read; pointer
// fields tell "not set" from "set to the default".
type daemonConfig struct {
	ICC                *bool             `json:"icc"`
	UserlandProxy      *bool             `json:"userland-proxy"`
	LiveRestore        *bool             `json:"live-restore"`
	NoNewPrivileges    *bool             `json:"no-new-privileges"`
	LogDriver          string            `json:"log-driver"`
	LogOpts            map[string]string `json:"log-opts"`
	InsecureRegistries []string          `json:"insecure-registries"`
	Hosts              []string          `json:"hosts"`
	TLSVerify          *bool             `json:"tlsverify"`
	UsernsRemap        string            `json:"userns-remap"`
}

// Keys of Daemon.Where: the daemon.json keys a finding points at.
const (
	KeyICC                = "icc"
	KeyUserlandProxy      = "userland-proxy"
	KeyLiveRestore        = "live-restore"
	KeyNoNewPrivileges    = "no-new-privileges"
	KeyLogDriver          = "log-driver"
	KeyLogOpts            = "log-opts"
	KeyInsecureRegistries = "insecure-registries"
	KeyHosts              = "hosts"
	KeySeccompProfile     = "seccomp-profile"
	KeyUsernsRemap        = "userns-remap"
)

// daemon reads the daemon's facts: /info first (what is in force), then
// daemon.json and the daemon's flags for what /info does not say.
func daemon(s *Snapshot) *container.Daemon {
	var info infoDoc
	_ = json.Unmarshal(s.Info, &info) // an empty or odd answer leaves the defaults
	d := &container.Daemon{Name: info.Name, Engine: s.Engine, Version: info.ServerVersion, Host: s.Host,
		LiveRestore: info.LiveRestoreEnabled, LogDriver: info.LoggingDriver, ContentTrust: s.ContentTrust,
		UserlandProxy: true, Where: map[string]container.Pos{}, Self: daemonSelf(info.Name)}
	if d.Engine == "" {
		d.Engine = "docker"
	}
	for _, o := range info.SecurityOptions {
		opts := map[string]string{}
		for _, kv := range strings.Split(o, ",") {
			k, v, _ := strings.Cut(kv, "=")
			opts[k] = v
		}
		switch opts["name"] {
		case "seccomp":
			d.Seccomp = opts["profile"]
			if d.Seccomp == "" {
				d.Seccomp = "default"
			}
		case "apparmor":
			d.AppArmor = true
		case "selinux":
			d.SELinux = true
		case "userns":
			d.UserNamespaces = true
		case "rootless":
			d.Rootless = true
		}
	}
	if rc := info.RegistryConfig; rc != nil {
		for _, cidr := range rc.InsecureRegistryCIDRs {
			if !loopback(cidr) {
				d.InsecureRegistries = append(d.InsecureRegistries, cidr)
			}
		}
		for name, ic := range rc.IndexConfigs {
			if !ic.Secure && !loopbackHost(name) {
				d.InsecureRegistries = append(d.InsecureRegistries, name)
			}
		}
		sort.Strings(d.InsecureRegistries)
	}
	if s.BridgeOptions != nil {
		v, ok := s.BridgeOptions["com.docker.network.bridge.enable_icc"]
		d.ICC, d.ICCKnown = !ok || v != "false", true
	}
	if s.DaemonConfig != nil {
		applyConfig(d, s.DaemonConfig)
	}
	applyArgs(d, s.DaemonArgs)
	if s.PlainTCP {
		d.TCPHosts = appendNew(d.TCPHosts, s.Host)
	}
	return d
}

// applyConfig reads daemon.json: the settings /info does not show, and the
// line of every key so that findings point at it.
func applyConfig(d *container.Daemon, f *File) {
	var c daemonConfig
	if err := json.Unmarshal([]byte(f.Data), &c); err != nil {
		return
	}
	d.ConfigFile = f.Path
	// JSON is YAML: the YAML parser gives each key its line.
	var root yaml.Node
	if yaml.Unmarshal([]byte(f.Data), &root) == nil && len(root.Content) == 1 {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			d.Where[m.Content[i].Value] = container.Pos{File: f.Path, Range: loc.Line(m.Content[i].Line)}
		}
	}
	if c.ICC != nil && !d.ICCKnown {
		d.ICC, d.ICCKnown = *c.ICC, true
	}
	if c.UserlandProxy != nil {
		d.UserlandProxy, d.UserlandProxySet = *c.UserlandProxy, true
	}
	if c.NoNewPrivileges != nil {
		d.NoNewPrivileges = *c.NoNewPrivileges
	}
	if c.LogOpts != nil {
		d.LogMaxSize = c.LogOpts["max-size"]
	}
	if c.TLSVerify != nil {
		d.TLSVerify = *c.TLSVerify
	}
	if c.UsernsRemap != "" {
		d.UserNamespaces = true
	}
	if !d.TLSVerify {
		for _, h := range c.Hosts {
			if strings.HasPrefix(h, "tcp://") {
				d.TCPHosts = appendNew(d.TCPHosts, h)
			}
		}
	}
}

// applyArgs reads the daemon's command-line flags, which win over
// daemon.json where both could set a value.
func applyArgs(d *container.Daemon, args []string) {
	var hosts []string
	tls := d.TLSVerify
	for i := 0; i < len(args); i++ {
		a := args[i]
		k, v, hasV := strings.Cut(a, "=")
		next := func() string {
			if hasV {
				return v
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		flagBool := func() bool { return !hasV || v == "true" || v == "1" }
		switch k {
		case "--icc":
			d.ICC, d.ICCKnown = flagBool(), true
		case "--userland-proxy":
			d.UserlandProxy, d.UserlandProxySet = flagBool(), true
		case "--no-new-privileges":
			d.NoNewPrivileges = flagBool()
		case "--live-restore":
			d.LiveRestore = flagBool()
		case "--tlsverify":
			tls = flagBool()
		case "--userns-remap":
			if next() != "" {
				d.UserNamespaces = true
			}
		case "-H", "--host":
			hosts = append(hosts, next())
		}
	}
	if tls {
		d.TLSVerify = true
		d.TCPHosts = nil
		return
	}
	for _, h := range hosts {
		if strings.HasPrefix(h, "tcp://") {
			d.TCPHosts = appendNew(d.TCPHosts, h)
		}
	}
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// loopback reports whether a CIDR only covers loopback addresses, which
// Docker always trusts without TLS (127.0.0.0/8, ::1/128).
func loopback(cidr string) bool {
	p, err := netip.ParsePrefix(cidr)
	return err == nil && p.Addr().IsLoopback() && (p.Addr().Is4() && p.Bits() >= 8 || p.Addr().Is6() && p.Bits() == 128)
}

func loopbackHost(name string) bool {
	h := name
	if i := strings.LastIndex(h, ":"); i > 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsLoopback()
}

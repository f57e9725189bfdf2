package compose

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	units "github.com/docker/go-units"
	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// svcRef is one place a service's keys may come from, highest priority
// first: the last override file, ..., the first file, then extends bases.
type svcRef struct {
	file *yfile
	node *yaml.Node
}

// refs lists the definitions of a service that contribute to the merged
// model.
func (l *load) refs(name string) []svcRef {
	var out []svcRef
	for i := len(l.good) - 1; i >= 0; i-- {
		if _, v := l.good[i].service(name); v != nil {
			out = append(out, svcRef{l.good[i], v})
		}
	}
	// A service defined in an included file is found there.
	if len(out) == 0 {
		for _, f := range l.includedFiles() {
			if _, v := f.service(name); v != nil {
				out = append(out, svcRef{f, v})
				break
			}
		}
	}
	// Extends bases contribute what the service does not set itself.
	seen := map[*yaml.Node]bool{}
	for i := 0; i < len(out) && i < 16; i++ {
		r := out[i]
		seen[r.node] = true
		_, ext := lookup(r.node, "extends")
		if ext == nil {
			continue
		}
		base, file := "", ""
		switch ext.Kind {
		case yaml.ScalarNode:
			base = ext.Value
		case yaml.MappingNode:
			if _, v := lookup(ext, "service"); v != nil {
				base = v.Value
			}
			if _, v := lookup(ext, "file"); v != nil {
				file = l.interpolate(v.Value)
			}
		}
		bf := r.file
		if file != "" {
			if !filepath.IsAbs(file) {
				file = filepath.Join(filepath.Dir(r.file.path), file)
			}
			bf = l.base(file)
		}
		if _, v := bf.service(l.interpolate(base)); v != nil && !seen[v] {
			out = append(out, svcRef{bf, v})
		}
	}
	return out
}

// self is where a service is defined: its key in the first file that
// defines it.
func (l *load) self(name string) container.Pos {
	for _, f := range l.good {
		if k, _ := f.service(name); k != nil {
			return f.keyPos(k, nil)
		}
	}
	for _, f := range l.includedFiles() {
		if k, _ := f.service(name); k != nil {
			return f.keyPos(k, nil)
		}
	}
	return container.Pos{File: l.files[0].path, Range: loc.Line(1)}
}

// where finds the place that set a key path of a service.
func where(refs []svcRef, path ...string) (container.Pos, bool) {
	for _, r := range refs {
		if k, v := lookupPath(r.node, path...); k != nil {
			return r.file.keyPos(k, v), true
		}
	}
	return container.Pos{}, false
}

// itemWhere finds the list item (or mapping entry) of a key that matches.
// For a mapping, match gets the key node and the value node; for a
// sequence, the item node twice.
func itemWhere(refs []svcRef, key string, match func(k, v *yaml.Node) bool) (container.Pos, bool) {
	for _, r := range refs {
		_, list := lookup(r.node, key)
		if list == nil {
			continue
		}
		switch list.Kind {
		case yaml.SequenceNode:
			for _, it := range list.Content {
				it = deref(it)
				if match(it, it) {
					return r.file.nodePos(it), true
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(list.Content); i += 2 {
				k, v := list.Content[i], deref(list.Content[i+1])
				if match(k, v) {
					return r.file.keyPos(k, v), true
				}
			}
		case yaml.ScalarNode:
			if match(list, list) {
				return r.file.nodePos(list), true
			}
		}
	}
	return container.Pos{}, false
}

// build fills the project from the merged model.
func (l *load) build(p *container.Project, dict map[string]any) {
	for _, msg := range l.schemaErrs {
		pos, v := l.locateMessage(msg)
		if v != nil && v.Kind == yaml.ScalarNode && hasVarRef(v.Value) {
			// The value comes from a variable left unset here; the file
			// may well be valid where it is deployed.
			continue
		}
		p.Errors = append(p.Errors, container.LoadError{Pos: pos, Message: "invalid compose file: " + msg})
	}
	if n, ok := dict["name"].(string); ok && n != "" {
		p.Name = n
	} else {
		p.Name = loaderProjectName(l.files[0].path)
	}
	if nets, ok := dict["networks"].(map[string]any); ok {
		for name, v := range nets {
			m, _ := v.(map[string]any)
			n := &container.Network{Name: name, Where: l.topWhere("networks", name)}
			n.Internal = boolish(m["internal"])
			switch e := m["external"].(type) {
			case map[string]any:
				n.External = true
			default:
				n.External = boolish(e)
			}
			n.Driver = str(m["driver"])
			p.Networks[name] = n
		}
	}
	if secs, ok := dict["secrets"].(map[string]any); ok {
		for name := range secs {
			p.Secrets[name] = true
		}
	}
	svcs, _ := dict["services"].(map[string]any)
	names := make([]string, 0, len(svcs))
	for n := range svcs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		m, ok := svcs[name].(map[string]any)
		if !ok {
			if svcs[name] != nil {
				continue
			}
			m = map[string]any{}
		}
		p.Specs = append(p.Specs, l.spec(name, m))
	}
	// Follow the order of the file, which is the order people read.
	order := map[string]int{}
	for _, f := range l.good {
		if f.services == nil {
			continue
		}
		for i := 0; i+1 < len(f.services.Content); i += 2 {
			if _, ok := order[f.services.Content[i].Value]; !ok {
				order[f.services.Content[i].Value] = len(order)
			}
		}
	}
	sort.SliceStable(p.Specs, func(i, j int) bool {
		oi, iok := order[p.Specs[i].Name]
		oj, jok := order[p.Specs[j].Name]
		if iok != jok {
			return iok
		}
		return oi < oj
	})
}

func (l *load) topWhere(section, name string) container.Pos {
	for i := len(l.good) - 1; i >= 0; i-- {
		if k, v := lookupPath(l.good[i].root, section, name); k != nil {
			return l.good[i].keyPos(k, v)
		}
	}
	return container.Pos{File: l.files[0].path, Range: loc.Line(1)}
}

var reDotted = regexp.MustCompile(`\b((?:services|networks|volumes|secrets|configs)(?:\.[A-Za-z0-9_.-]+)?)`)

// locateMessage finds the line of a compose-go validation message that
// names a path such as services.web.ports.0.
func (l *load) locateMessage(msg string) (container.Pos, *yaml.Node) {
	main := l.good[0]
	pos := container.Pos{File: main.path, Range: loc.Line(1)}
	m := reDotted.FindStringSubmatch(msg)
	if m == nil {
		return pos, nil
	}
	parts := strings.Split(m[1], ".")
	for i := len(l.good) - 1; i >= 0; i-- {
		f := l.good[i]
		var k *yaml.Node
		cur := f.root
		if f.lifted && parts[0] == "services" {
			parts = parts[1:]
		}
		for _, part := range parts {
			cur = deref(cur)
			if cur == nil {
				break
			}
			if cur.Kind == yaml.SequenceNode {
				n, err := strconv.Atoi(part)
				if err != nil || n < 0 || n >= len(cur.Content) {
					break
				}
				k, cur = cur.Content[n], cur.Content[n]
				continue
			}
			kk, v := lookup(cur, part)
			if v == nil {
				break
			}
			k, cur = kk, v
		}
		if k != nil {
			return f.keyPos(k, nil), deref(cur)
		}
	}
	return pos, nil
}

func loaderProjectName(path string) string {
	dir := filepath.Base(filepath.Dir(absPath(path)))
	var b strings.Builder
	for _, r := range strings.ToLower(dir) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			b.WriteRune(r)
		}
	}
	return strings.TrimLeft(b.String(), "_-")
}

// spec builds one service's Spec from its merged, canonical model.
func (l *load) spec(name string, m map[string]any) *container.Spec {
	refs := l.refs(name)
	s := &container.Spec{
		Name: name, Source: container.SourceCompose, Where: map[string]container.Pos{},
		Self: l.self(name),
	}
	set := func(key string, path ...string) bool {
		if len(path) == 0 {
			path = []string{key}
		}
		if pos, ok := where(refs, path...); ok {
			s.Where[key] = pos
			return true
		}
		return false
	}
	setItem := func(key, item, yamlKey string, match func(k, v *yaml.Node) bool) {
		if pos, ok := itemWhere(refs, yamlKey, match); ok {
			s.Where[container.ItemKey(key, item)] = pos
		}
	}
	scalarIs := func(want func(string) bool) func(k, v *yaml.Node) bool {
		return func(k, v *yaml.Node) bool { return v.Kind == yaml.ScalarNode && want(l.interpolate(v.Value)) }
	}

	s.Image = str(m["image"])
	set(container.KeyImage)
	s.Build = m["build"] != nil
	if s.Build {
		s.BuildContext, s.BuildDockerfile = l.buildPaths(m["build"], refs)
		set(container.KeyBuild)
	}
	s.User = str(m["user"])
	set(container.KeyUser)
	s.Privileged = boolish(m["privileged"])
	set(container.KeyPrivileged)
	s.ReadOnly = boolish(m["read_only"])
	set(container.KeyReadOnly)
	for _, key := range []string{container.KeyCapAdd, container.KeyCapDrop} {
		var caps []string
		for _, c := range list(m[key]) {
			c := container.NormalizeCap(str(c))
			caps = append(caps, c)
			setItem(key, c, key, scalarIs(func(v string) bool { return container.NormalizeCap(v) == c }))
		}
		if key == container.KeyCapAdd {
			s.CapAdd = caps
		} else {
			s.CapDrop = caps
		}
		set(key)
	}
	for _, o := range list(m["security_opt"]) {
		o := str(o)
		s.SecurityOpt = append(s.SecurityOpt, o)
		setItem(container.KeySecurityOpt, o, "security_opt", scalarIs(func(v string) bool { return v == o }))
	}
	set(container.KeySecurityOpt)
	s.NetworkMode = str(m["network_mode"])
	if !set(container.KeyNetworkMode) && m["net"] != nil {
		s.NetworkMode = str(m["net"])
		set(container.KeyNetworkMode, "net")
	}
	s.PidMode = str(m["pid"])
	set(container.KeyPid)
	s.IpcMode = str(m["ipc"])
	set(container.KeyIpc)
	s.UtsMode = str(m["uts"])
	set(container.KeyUts)
	s.UsernsMode = str(m["userns_mode"])
	set(container.KeyUserns)
	s.CgroupParent = str(m["cgroup_parent"])
	set(container.KeyCgroupParent)
	if lg, ok := m["logging"].(map[string]any); ok {
		s.LoggingDriver = str(lg["driver"])
	}
	if !set(container.KeyLogging, "logging", "driver") {
		set(container.KeyLogging)
	}

	l.mounts(s, m, refs)
	l.devices(s, m, refs, setItem)
	l.ports(s, m, refs)
	for _, e := range list(m["expose"]) {
		e := str(e)
		s.Expose = append(s.Expose, e)
		setItem("expose", e, "expose", scalarIs(func(v string) bool { return v == e }))
	}
	set("expose")
	switch nets := m["networks"].(type) {
	case map[string]any:
		for n := range nets {
			s.Networks = append(s.Networks, n)
		}
	case []any:
		for _, n := range nets {
			s.Networks = append(s.Networks, str(n))
		}
	}
	sort.Strings(s.Networks)
	for _, n := range s.Networks {
		n := n
		setItem(container.KeyNetworks, n, "networks", func(k, v *yaml.Node) bool { return l.interpolate(k.Value) == n })
	}
	set(container.KeyNetworks)
	l.limits(s, m, set)
	l.environment(s, m, refs)
	for _, x := range list(m["secrets"]) {
		var n string
		if xm, ok := x.(map[string]any); ok {
			n = str(xm["source"])
		} else {
			n = str(x)
		}
		if n == "" {
			continue
		}
		s.Secrets = append(s.Secrets, n)
		setItem(container.KeySecrets, n, "secrets", func(k, v *yaml.Node) bool {
			if v.Kind == yaml.MappingNode {
				_, src := lookup(v, "source")
				return src != nil && l.interpolate(src.Value) == n
			}
			return l.interpolate(v.Value) == n
		})
	}
	set(container.KeySecrets)
	if hc, ok := m["healthcheck"].(map[string]any); ok {
		h := &container.Healthcheck{Disabled: boolish(hc["disable"])}
		for _, t := range list(hc["test"]) {
			h.Test = append(h.Test, str(t))
		}
		if len(h.Test) > 0 && strings.EqualFold(h.Test[0], "NONE") {
			h.Disabled = true
		}
		set(container.KeyHealthcheck)
		h.Where = s.Pos(container.KeyHealthcheck)
		if pos, ok := where(refs, "healthcheck", "disable"); ok && h.Disabled {
			h.Where = pos
		} else if pos, ok := where(refs, "healthcheck", "test"); ok {
			h.Where = pos
		}
		s.Healthcheck = h
	}
	l.restart(s, m, set)
	l.ulimits(s, m, refs)
	l.finePositions(s, refs)
	return s
}

func (l *load) mounts(s *container.Spec, m map[string]any, refs []svcRef) {
	for _, v := range list(m["volumes"]) {
		var vc types.ServiceVolumeConfig
		switch t := v.(type) {
		case map[string]any:
			vc.Type, vc.Source, vc.Target = str(t["type"]), str(t["source"]), str(t["target"])
			vc.ReadOnly = boolish(t["read_only"])
			if b, ok := t["bind"].(map[string]any); ok {
				vc.Bind = &types.ServiceVolumeBind{Propagation: str(b["propagation"])}
			}
		default:
			parsed, err := format.ParseVolume(str(t))
			if err != nil {
				parsed, err = lenientVolume(str(t))
				if err != nil {
					continue
				}
			}
			vc = parsed
		}
		if vc.Type == "" {
			vc.Type = "volume"
			if strings.HasPrefix(vc.Source, "/") || strings.HasPrefix(vc.Source, ".") || strings.HasPrefix(vc.Source, "~") {
				vc.Type = "bind"
			}
		}
		mt := container.Mount{Type: vc.Type, Source: vc.Source, Target: vc.Target, ReadOnly: vc.ReadOnly}
		if vc.Bind != nil {
			mt.Propagation = vc.Bind.Propagation
		}
		target := vc.Target
		if pos, ok := itemWhere(refs, "volumes", func(_, n *yaml.Node) bool { return l.volumeTarget(n) == target }); ok {
			mt.Where = pos
		} else {
			mt.Where = s.Pos(container.KeyVolumes)
		}
		s.Mounts = append(s.Mounts, mt)
		if mt.Type == "tmpfs" {
			s.Tmpfs = append(s.Tmpfs, mt.Target)
		}
	}
	if pos, ok := where(refs, "volumes"); ok {
		s.Where[container.KeyVolumes] = pos
		for i := range s.Mounts {
			if s.Mounts[i].Where.Range.Line == 0 {
				s.Mounts[i].Where = pos
			}
		}
	}
	for _, t := range list(m["tmpfs"]) {
		t := str(t)
		s.Tmpfs = append(s.Tmpfs, t)
		if pos, ok := itemWhere(refs, "tmpfs", func(_, n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && l.interpolate(n.Value) == t }); ok {
			s.Where[container.ItemKey(container.KeyTmpfs, t)] = pos
		}
	}
	if pos, ok := where(refs, "tmpfs"); ok {
		s.Where[container.KeyTmpfs] = pos
	}
}

// volumeTarget is the container path of a volumes item as written.
func (l *load) volumeTarget(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		v, err := format.ParseVolume(l.interpolate(n.Value))
		if err != nil {
			return ""
		}
		return v.Target
	case yaml.MappingNode:
		if _, t := lookup(n, "target"); t != nil {
			return l.interpolate(t.Value)
		}
	}
	return ""
}

func (l *load) devices(s *container.Spec, m map[string]any, refs []svcRef, setItem func(key, item, yamlKey string, match func(k, v *yaml.Node) bool)) {
	for _, d := range list(m["devices"]) {
		var src, dst, perm string
		if dm, ok := d.(map[string]any); ok {
			src, dst, perm = str(dm["source"]), str(dm["target"]), str(dm["permissions"])
		} else {
			parts := strings.SplitN(str(d), ":", 3)
			src = parts[0]
			if len(parts) > 1 {
				dst = parts[1]
			}
			if len(parts) > 2 {
				perm = parts[2]
			}
		}
		dev := src
		if dst != "" && dst != src || perm != "" && perm != "rwm" {
			dev += ":" + dst
		}
		if perm != "" && perm != "rwm" {
			dev += ":" + perm
		}
		s.Devices = append(s.Devices, dev)
		setItem(container.KeyDevices, dev, "devices", func(_, n *yaml.Node) bool {
			switch n.Kind {
			case yaml.ScalarNode:
				return strings.SplitN(l.interpolate(n.Value), ":", 2)[0] == src
			case yaml.MappingNode:
				_, v := lookup(n, "source")
				return v != nil && l.interpolate(v.Value) == src
			}
			return false
		})
	}
	if pos, ok := where(refs, "devices"); ok {
		s.Where[container.KeyDevices] = pos
	}
}

func (l *load) ports(s *container.Spec, m map[string]any, refs []svcRef) {
	var ports []types.ServicePortConfig
	for _, p := range list(m["ports"]) {
		switch t := p.(type) {
		case map[string]any:
			ports = append(ports, types.ServicePortConfig{
				HostIP: str(t["host_ip"]), Published: str(t["published"]),
				Target: uint32(num(t["target"])), Protocol: str(t["protocol"]),
			})
		default:
			pc, err := types.ParsePortConfig(str(t))
			if err != nil {
				pc, err = lenientPort(str(t))
				if err != nil {
					continue
				}
			}
			ports = append(ports, pc...)
		}
	}
	keyPos, hasKey := where(refs, "ports")
	if hasKey {
		s.Where[container.KeyPorts] = keyPos
	}
	for _, pc := range ports {
		proto := pc.Protocol
		if proto == "" {
			proto = "tcp"
		}
		port := container.Port{HostIP: pc.HostIP, HostPort: pc.Published, ContainerPort: strconv.FormatUint(uint64(pc.Target), 10), Protocol: proto}
		if pos, ok := itemWhere(refs, "ports", func(_, n *yaml.Node) bool { return l.portMatches(n, pc, true) }); ok {
			port.Where = pos
		} else if pos, ok := itemWhere(refs, "ports", func(_, n *yaml.Node) bool { return l.portMatches(n, pc, false) }); ok {
			port.Where = pos
		} else if hasKey {
			port.Where = keyPos
		} else {
			port.Where = s.Self
		}
		s.Ports = append(s.Ports, port)
	}
}

func (l *load) portMatches(n *yaml.Node, pc types.ServicePortConfig, exact bool) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		got, err := parsePortsCached(l.interpolate(n.Value))
		if err != nil {
			return false
		}
		for _, g := range got {
			if g.Target == pc.Target && (!exact || g.Published == pc.Published && g.HostIP == pc.HostIP) {
				return true
			}
		}
	case yaml.MappingNode:
		_, t := lookup(n, "target")
		if t == nil || l.interpolate(t.Value) != strconv.FormatUint(uint64(pc.Target), 10) {
			return false
		}
		if !exact {
			return true
		}
		pub := ""
		if _, p := lookup(n, "published"); p != nil {
			pub = l.interpolate(p.Value)
		}
		return pub == pc.Published
	}
	return false
}

func (l *load) limits(s *container.Spec, m map[string]any, set func(key string, path ...string) bool) {
	var lim map[string]any
	if d, ok := m["deploy"].(map[string]any); ok {
		if r, ok := d["resources"].(map[string]any); ok {
			lim, _ = r["limits"].(map[string]any)
		}
	}
	if v := bytesOf(lim["memory"]); v > 0 {
		s.MemoryBytes = v
		set(container.KeyMemory, "deploy", "resources", "limits", "memory")
	} else if m["mem_limit"] != nil {
		s.MemoryBytes = bytesOf(m["mem_limit"])
		set(container.KeyMemory, "mem_limit")
	}
	if v := cpusOf(lim["cpus"]); v > 0 {
		s.NanoCPUs = v
		set(container.KeyCPUs, "deploy", "resources", "limits", "cpus")
	} else if m["cpus"] != nil {
		s.NanoCPUs = cpusOf(m["cpus"])
		set(container.KeyCPUs, "cpus")
	}
	if v := int64(num(lim["pids"])); v > 0 {
		s.PidsLimit = v
		set(container.KeyPids, "deploy", "resources", "limits", "pids")
	} else if m["pids_limit"] != nil {
		s.PidsLimit = max(int64(num(m["pids_limit"])), 0)
		set(container.KeyPids, "pids_limit")
	}
}

var reVarRef = regexp.MustCompile(`\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\})`)

// hasVarRef reports whether a raw value takes something from the
// environment (`$VAR`, `${VAR}`, but not `$$`).
func hasVarRef(s string) bool {
	return reVarRef.MatchString(strings.ReplaceAll(s, "$$", ""))
}

func (l *load) environment(s *container.Spec, m map[string]any, refs []svcRef) {
	keyPos, hasKey := where(refs, "environment")
	if hasKey {
		s.Where[container.KeyEnvironment] = keyPos
	}
	add := func(name string, val *string) {
		ev := container.EnvVar{Name: name, Literal: val != nil}
		if val != nil {
			ev.Value = *val
		}
		found := false
		for _, r := range refs {
			_, envNode := lookup(r.node, "environment")
			if envNode == nil {
				continue
			}
			raw, pos, ok := envItem(r.file, envNode, name)
			if !ok {
				continue
			}
			found = true
			ev.Where = pos
			if raw != nil {
				ev.Raw = *raw
				if hasVarRef(*raw) {
					ev.Literal = false
				}
			}
			break
		}
		if !found {
			ev.Raw = ev.Value
			if hasKey {
				ev.Where = keyPos
			} else {
				ev.Where = s.Self
			}
		}
		s.Env = append(s.Env, ev)
	}
	switch e := m["environment"].(type) {
	case map[string]any:
		names := make([]string, 0, len(e))
		for k := range e {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if e[k] == nil {
				add(k, nil)
				continue
			}
			v := str(e[k])
			add(k, &v)
		}
	case []any:
		for _, it := range e {
			k, v, ok := strings.Cut(str(it), "=")
			if ok {
				add(k, &v)
			} else {
				add(k, nil)
			}
		}
	}
	l.envFiles(s, m, refs)
}

// envItem finds a variable in an environment node (list or mapping) and
// returns its raw value (nil when none is given) and place.
func envItem(f *yfile, n *yaml.Node, name string) (*string, container.Pos, bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				v := deref(n.Content[i+1])
				if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
					return nil, f.keyPos(n.Content[i], v), true
				}
				raw := v.Value
				return &raw, f.keyPos(n.Content[i], v), true
			}
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			it = deref(it)
			k, v, hasVal := strings.Cut(it.Value, "=")
			if strings.TrimSpace(k) == name {
				if !hasVal {
					return nil, f.nodePos(it), true
				}
				return &v, f.nodePos(it), true
			}
		}
	}
	return nil, container.Pos{}, false
}

// envFiles adds the variables of readable env_file files, located at the
// env_file entry that names them.
func (l *load) envFiles(s *container.Spec, m map[string]any, refs []svcRef) {
	have := map[string]bool{}
	for _, e := range s.Env {
		have[e.Name] = true
	}
	for _, ef := range list(m["env_file"]) {
		path := ""
		if em, ok := ef.(map[string]any); ok {
			path = str(em["path"])
		} else {
			path = str(ef)
		}
		if path == "" {
			continue
		}
		pos, ok := itemWhere(refs, "env_file", func(_, n *yaml.Node) bool {
			if n.Kind == yaml.MappingNode {
				_, p := lookup(n, "path")
				return p != nil && l.interpolate(p.Value) == path
			}
			return l.interpolate(n.Value) == path
		})
		if !ok {
			pos, ok = where(refs, "env_file")
			if !ok {
				pos = s.Self
			}
		}
		full := path
		if !filepath.IsAbs(full) {
			full = filepath.Join(filepath.Dir(pos.File), path)
		}
		st, err := os.Stat(full)
		if err != nil || !st.Mode().IsRegular() || st.Size() > MaxFileSize {
			continue
		}
		data, err := os.ReadFile(full)
		if err != nil {
			continue
		}
		vars, err := dotenv.UnmarshalBytesWithLookup(data, func(string) (string, bool) { return "", false })
		if err != nil {
			continue
		}
		names := make([]string, 0, len(vars))
		for k := range vars {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if have[k] {
				continue // environment wins over env_file
			}
			have[k] = true
			s.Env = append(s.Env, container.EnvVar{Name: k, Value: vars[k], Raw: vars[k], FromFile: true, Literal: true, Where: pos})
		}
	}
}

func (l *load) restart(s *container.Spec, m map[string]any, set func(key string, path ...string) bool) {
	if r := str(m["restart"]); r != "" {
		name, n, _ := strings.Cut(r, ":")
		s.Restart.Name = name
		s.Restart.MaxRetries, _ = strconv.Atoi(n)
		set(container.KeyRestart)
		s.Restart.Where = s.Pos(container.KeyRestart)
		return
	}
	d, _ := m["deploy"].(map[string]any)
	rp, ok := d["restart_policy"].(map[string]any)
	if !ok {
		return
	}
	switch c := str(rp["condition"]); c {
	case "none":
		s.Restart.Name = "no"
	case "any", "":
		s.Restart.Name = "always"
	default:
		s.Restart.Name = c
	}
	s.Restart.MaxRetries = int(num(rp["max_attempts"]))
	set(container.KeyRestart, "deploy", "restart_policy")
	s.Restart.Where = s.Pos(container.KeyRestart)
}

func (l *load) ulimits(s *container.Spec, m map[string]any, refs []svcRef) {
	u, ok := m["ulimits"].(map[string]any)
	if !ok {
		return
	}
	keyPos, hasKey := where(refs, "ulimits")
	if hasKey {
		s.Where[container.KeyUlimits] = keyPos
	}
	names := make([]string, 0, len(u))
	for k := range u {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		ul := container.Ulimit{Name: name}
		switch v := u[name].(type) {
		case map[string]any:
			if sv, ok := v["single"]; ok {
				ul.Soft = int64(num(sv))
				ul.Hard = ul.Soft
			} else {
				ul.Soft, ul.Hard = int64(num(v["soft"])), int64(num(v["hard"]))
			}
		default:
			ul.Soft = int64(num(v))
			ul.Hard = ul.Soft
		}
		if pos, ok := where(refs, "ulimits", name); ok {
			ul.Where = pos
		} else if hasKey {
			ul.Where = keyPos
		} else {
			ul.Where = s.Self
		}
		s.Ulimits = append(s.Ulimits, ul)
	}
}

// lenientVolume reads a short volume spec that compose rejects, typically
// because an unset variable left a part empty (`${DATA}:/data:ro`).
func lenientVolume(v string) (types.ServiceVolumeConfig, error) {
	parts := strings.Split(v, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[1] == "" {
		return types.ServiceVolumeConfig{}, fmt.Errorf("invalid volume %q", v)
	}
	vc := types.ServiceVolumeConfig{Type: "bind", Source: parts[0], Target: parts[1]}
	if parts[0] != "" && !strings.ContainsAny(parts[0][:1], "/.~$") {
		vc.Type = "volume"
	}
	if len(parts) == 3 {
		for _, o := range strings.Split(parts[2], ",") {
			switch o {
			case "ro":
				vc.ReadOnly = true
			case "shared", "rshared", "slave", "rslave", "private", "rprivate":
				vc.Bind = &types.ServiceVolumeBind{Propagation: o}
			}
		}
	}
	return vc, nil
}

// lenientPort reads a short port spec that compose rejects, typically
// because an unset variable left the host port empty (`${PORT}:80`).
func lenientPort(v string) ([]types.ServicePortConfig, error) {
	spec, proto, _ := strings.Cut(v, "/")
	parts := strings.Split(spec, ":")
	target, err := strconv.ParseUint(strings.SplitN(parts[len(parts)-1], "-", 2)[0], 10, 16)
	if err != nil {
		return nil, fmt.Errorf("invalid port %q", v)
	}
	pc := types.ServicePortConfig{Target: uint32(target), Protocol: proto}
	if len(parts) >= 2 {
		pc.Published = parts[len(parts)-2]
	}
	if len(parts) >= 3 {
		pc.HostIP = strings.Trim(strings.Join(parts[:len(parts)-2], ":"), "[]")
	}
	return []types.ServicePortConfig{pc}, nil
}

// str renders a scalar as the string compose would see.
func str(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(t), 'f', -1, 32)
	}
	return fmt.Sprint(v)
}

func boolish(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "yes", "y", "on", "1":
			return true
		}
	case int:
		return t != 0
	}
	return false
}

func num(v any) float64 {
	switch t := v.(type) {
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	case float64:
		return t
	case float32:
		return float64(t)
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err == nil {
			return f
		}
		return 0
	case nil:
		return 0
	}
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanInt():
		return float64(rv.Int())
	case rv.CanUint():
		return float64(rv.Uint())
	case rv.CanFloat():
		return rv.Float()
	}
	return 0
}

func list(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case nil:
		return nil
	case map[string]any:
		return nil
	}
	return []any{v}
}

// bytesOf reads a memory size: a number of bytes or a string with a unit
// (512m, 1g, 1.5GB).
func bytesOf(v any) int64 {
	switch t := v.(type) {
	case nil:
		return 0
	case string:
		b, err := units.RAMInBytes(strings.TrimSpace(t))
		if err != nil {
			return 0
		}
		return b
	}
	return int64(num(v))
}

// cpusOf reads a CPU count as nano CPUs.
func cpusOf(v any) int64 {
	f := num(v)
	if f <= 0 || math.IsNaN(f) || f > 1e6 {
		return 0
	}
	return int64(math.Round(f * 1e9))
}

// comments collects the comments of every file read.
func (l *load) comments(p *container.Project) {
	seen := map[*yfile]bool{}
	for _, f := range l.files {
		seen[f] = true
		p.Comments = append(p.Comments, Comments(f.path, f.data)...)
	}
	for _, f := range l.bases {
		if f != nil && !seen[f] {
			seen[f] = true
			p.Comments = append(p.Comments, Comments(f.path, f.data)...)
		}
	}
	sort.SliceStable(p.Comments, func(i, j int) bool {
		if p.Comments[i].File != p.Comments[j].File {
			return p.Comments[i].File < p.Comments[j].File
		}
		return p.Comments[i].Line < p.Comments[j].Line
	})
}

// buildPaths resolves a service's build: (short form: the context path;
// long form: context and dockerfile) to the context directory and the
// Dockerfile path. Compose resolves a relative context against the project
// directory, or against the file an extends base comes from, and a
// relative dockerfile against the context. A remote context (Git URL)
// gives "", "".
func (l *load) buildPaths(v any, refs []svcRef) (dir, dockerfile string) {
	var ctxPath string
	inline := false
	switch b := v.(type) {
	case string:
		ctxPath = b
	case map[string]any:
		ctxPath = str(b["context"])
		dockerfile = str(b["dockerfile"])
		inline = b["dockerfile_inline"] != nil && dockerfile == ""
	default:
		return "", ""
	}
	ctxPath = strings.TrimSpace(ctxPath)
	if ctxPath == "" {
		ctxPath = "."
	}
	if remoteContext(ctxPath) {
		return "", ""
	}
	base := ""
	if len(l.good) > 0 {
		base = filepath.Dir(l.good[0].path)
	}
	for _, r := range refs {
		k, n := lookup(r.node, "build")
		if k == nil {
			continue
		}
		// compose-go rebases the context of an extends base from another
		// file onto the project directory; the YAML-only fallback does
		// not, and the path is then still the base file's own.
		if !l.isGood(r.file) && l.rawContext(n) == ctxPath {
			base = filepath.Dir(r.file.path)
		}
		break
	}
	dir = ctxPath
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(base, dir)
	}
	if inline {
		return dir, ""
	}
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if !filepath.IsAbs(dockerfile) {
		dockerfile = filepath.Join(dir, dockerfile)
	}
	return dir, dockerfile
}

// rawContext is the context a build: node names, interpolated.
func (l *load) rawContext(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return ""
	}
	if n.Kind == yaml.MappingNode {
		_, c := lookup(n, "context")
		if c = deref(c); c == nil {
			return "."
		}
		n = c
	}
	c := strings.TrimSpace(l.interpolate(n.Value))
	if c == "" {
		c = "."
	}
	return c
}

func (l *load) isGood(f *yfile) bool {
	for _, g := range l.good {
		if g == f {
			return true
		}
	}
	return false
}

// remoteContext reports whether a build context is a URL (a Git
// repository, a tarball) rather than a local directory.
func remoteContext(c string) bool {
	return strings.Contains(c, "://") || strings.HasPrefix(c, "git@") || strings.HasPrefix(c, "github.com/")
}

package compose

import (
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

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
			n.Named = str(m["name"]) != ""
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
	pos := container.Pos{File: l.good[0].path, Range: loc.Line(1)}
	m := reDotted.FindStringSubmatch(msg)
	if m == nil {
		return pos, nil
	}
	return l.locatePath(strings.Split(m[1], "."))
}

// locatePath finds the key of a path of the model (services, web, ports,
// 0) in the last file that sets it; the first line of the main file when
// none does.
func (l *load) locatePath(parts []string) (container.Pos, *yaml.Node) {
	pos := container.Pos{File: l.good[0].path, Range: loc.Line(1)}
	if len(parts) == 0 {
		return pos, nil
	}
	for i := len(l.good) - 1; i >= 0; i-- {
		f := l.good[i]
		var k *yaml.Node
		cur := f.root
		path := parts
		if f.lifted && path[0] == "services" {
			path = path[1:]
		}
		for _, part := range path {
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
	b := &specBuilder{l: l, refs: l.refs(name), s: &container.Spec{
		Name: name, Source: container.SourceCompose, Where: map[string]container.Pos{},
		Self: l.self(name),
	}}
	s, refs := b.s, b.refs
	_, hasImage := where(refs, "image")
	_, hasBuild := where(refs, "build")
	_, hasExtends := where(refs, "extends")
	s.Partial = !hasImage && !hasBuild && !hasExtends
	b.identity(m)
	b.namespaces(m)
	l.mounts(s, m, refs)
	l.devices(s, m, refs, b.setItem)
	l.ports(s, m, refs)
	b.exposeAndNetworks(m)
	b.relations(m)
	l.limits(s, m, b.set)
	l.environment(s, m, refs)
	b.secrets(m)
	b.healthcheck(m)
	l.restart(s, m, b.set)
	l.ulimits(s, m, refs)
	l.finePositions(s, refs)
	return s
}

// specBuilder fills one service's Spec and records where each value was
// set.
type specBuilder struct {
	l    *load
	s    *container.Spec
	refs []svcRef
}

// set records where key (at path in the YAML, default the key itself) was
// set, and reports whether it was. A scalar that takes a variable left
// unset is recorded in Unresolved.
func (b *specBuilder) set(key string, path ...string) bool {
	if len(path) == 0 {
		path = []string{key}
	}
	for _, r := range b.refs {
		if k, v := lookupPath(r.node, path...); k != nil {
			b.s.Where[key] = r.file.keyPos(k, v)
			if v != nil && v.Kind == yaml.ScalarNode && b.l.unsetVar(v.Value) {
				if b.s.Unresolved == nil {
					b.s.Unresolved = map[string]bool{}
				}
				b.s.Unresolved[key] = true
			}
			return true
		}
	}
	return false
}

// setItem records where one item of a list or mapping key was set.
func (b *specBuilder) setItem(key, item, yamlKey string, match func(k, v *yaml.Node) bool) {
	if pos, ok := itemWhere(b.refs, yamlKey, match); ok {
		b.s.Where[container.ItemKey(key, item)] = pos
	}
}

// scalarIs matches a list item whose interpolated value satisfies want.
func (b *specBuilder) scalarIs(want func(string) bool) func(k, v *yaml.Node) bool {
	return func(k, v *yaml.Node) bool { return v.Kind == yaml.ScalarNode && want(b.l.interpolate(v.Value)) }
}

// identity reads what the service runs and with which privileges: image,
// build, user, privileged, read_only, capabilities, security options.
func (b *specBuilder) identity(m map[string]any) {
	s := b.s
	s.Image = str(m["image"])
	b.set(container.KeyImage)
	s.Build = m["build"] != nil
	if s.Build {
		s.BuildContext, s.BuildDockerfile = b.l.buildPaths(m["build"], b.refs)
		b.set(container.KeyBuild)
	}
	s.User = str(m["user"])
	b.set(container.KeyUser)
	s.Privileged = boolish(m["privileged"])
	b.set(container.KeyPrivileged)
	s.APISocket = boolish(m["use_api_socket"])
	b.set(container.KeyAPISocket)
	s.ReadOnly = boolish(m["read_only"])
	b.set(container.KeyReadOnly)
	for _, key := range []string{container.KeyCapAdd, container.KeyCapDrop} {
		var caps []string
		for _, c := range list(m[key]) {
			c := container.NormalizeCap(str(c))
			caps = append(caps, c)
			b.setItem(key, c, key, b.scalarIs(func(v string) bool { return container.NormalizeCap(v) == c }))
		}
		if key == container.KeyCapAdd {
			s.CapAdd = caps
		} else {
			s.CapDrop = caps
		}
		b.set(key)
	}
	for _, o := range list(m["security_opt"]) {
		o := str(o)
		s.SecurityOpt = append(s.SecurityOpt, o)
		b.setItem(container.KeySecurityOpt, o, "security_opt", b.scalarIs(func(v string) bool { return v == o }))
	}
	b.set(container.KeySecurityOpt)
}

// namespaces reads the namespace modes, cgroup parent and log driver.
func (b *specBuilder) namespaces(m map[string]any) {
	s := b.s
	s.NetworkMode = str(m["network_mode"])
	if !b.set(container.KeyNetworkMode) {
		b.set(container.KeyNetworkMode, "net") // a legacy v1 file (liftV1)
	}
	s.PidMode = str(m["pid"])
	b.set(container.KeyPid)
	s.IpcMode = str(m["ipc"])
	b.set(container.KeyIpc)
	s.UtsMode = str(m["uts"])
	b.set(container.KeyUts)
	s.UsernsMode = str(m["userns_mode"])
	b.set(container.KeyUserns)
	s.CgroupParent = str(m["cgroup_parent"])
	b.set(container.KeyCgroupParent)
	if lg, ok := m["logging"].(map[string]any); ok {
		s.LoggingDriver = str(lg["driver"])
	}
	if !b.set(container.KeyLogging, "logging", "driver") && !b.set(container.KeyLogging) {
		b.set(container.KeyLogging, "log_driver") // a legacy v1 file (liftV1)
	}
}

// exposeAndNetworks reads expose and the networks the service joins.
func (b *specBuilder) exposeAndNetworks(m map[string]any) {
	s := b.s
	for _, e := range list(m["expose"]) {
		e := str(e)
		s.Expose = append(s.Expose, e)
		b.setItem("expose", e, "expose", b.scalarIs(func(v string) bool { return v == e }))
	}
	b.set("expose")
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
		b.setItem(container.KeyNetworks, n, "networks", func(k, v *yaml.Node) bool { return b.l.interpolate(k.Value) == n })
	}
	b.set(container.KeyNetworks)
}

// relations reads the services this one declares it talks to:
// depends_on (a list, or a mapping with conditions) and links
// (`service` or `service:alias`), and the profiles it runs in.
func (b *specBuilder) relations(m map[string]any) {
	s := b.s
	switch deps := m["depends_on"].(type) {
	case map[string]any:
		for n := range deps {
			s.DependsOn = append(s.DependsOn, n)
		}
	case []any:
		for _, n := range deps {
			s.DependsOn = append(s.DependsOn, str(n))
		}
	}
	sort.Strings(s.DependsOn)
	b.set(container.KeyDependsOn)
	for _, p := range list(m["profiles"]) {
		s.Profiles = append(s.Profiles, str(p))
	}
	for _, l := range list(m["links"]) {
		name, _, _ := strings.Cut(str(l), ":")
		if name = strings.TrimSpace(name); name != "" {
			s.Links = append(s.Links, name)
		}
	}
	b.set(container.KeyLinks)
}

// secrets reads the compose secrets the service mounts.
func (b *specBuilder) secrets(m map[string]any) {
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
		b.s.Secrets = append(b.s.Secrets, n)
		b.setItem(container.KeySecrets, n, "secrets", func(k, v *yaml.Node) bool {
			if v.Kind == yaml.MappingNode {
				_, src := lookup(v, "source")
				return src != nil && b.l.interpolate(src.Value) == n
			}
			return b.l.interpolate(v.Value) == n
		})
	}
	b.set(container.KeySecrets)
}

// healthcheck reads the service's healthcheck, located at its test (or
// disable) line.
func (b *specBuilder) healthcheck(m map[string]any) {
	hc, ok := m["healthcheck"].(map[string]any)
	if !ok {
		return
	}
	h := &container.Healthcheck{Disabled: boolish(hc["disable"])}
	for _, t := range list(hc["test"]) {
		h.Test = append(h.Test, str(t))
	}
	if len(h.Test) > 0 && strings.EqualFold(h.Test[0], "NONE") {
		h.Disabled = true
	}
	b.set(container.KeyHealthcheck)
	h.Where = b.s.Pos(container.KeyHealthcheck)
	if pos, ok := where(b.refs, "healthcheck", "disable"); ok && h.Disabled {
		h.Where = pos
	} else if pos, ok := where(b.refs, "healthcheck", "test"); ok {
		h.Where = pos
	}
	b.s.Healthcheck = h
}

package compose

import (
	"path"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/shipshape-sec/shipshape/internal/container"
	"gopkg.in/yaml.v3"
)

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
		mt := container.Mount{Type: vc.Type, Source: vc.Source, Target: cleanTarget(vc.Target), ReadOnly: vc.ReadOnly}
		if vc.Bind != nil {
			mt.Propagation = vc.Bind.Propagation
		}
		target := mt.Target
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

// volumeTarget is the container path of a volumes item as written,
// cleaned like Mount.Target ("/etc/pihole/" is "/etc/pihole").
func (l *load) volumeTarget(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		v, err := format.ParseVolume(l.interpolate(n.Value))
		if err != nil {
			return ""
		}
		return cleanTarget(v.Target)
	case yaml.MappingNode:
		if _, t := lookup(n, "target"); t != nil {
			return cleanTarget(l.interpolate(t.Value))
		}
	}
	return ""
}

// cleanTarget normalises a container path, so that the model and the
// YAML agree whether it was written with a trailing slash or not.
func cleanTarget(t string) string {
	if !strings.HasPrefix(t, "/") {
		return t
	}
	return path.Clean(t)
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

package compose

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/shipshape-sec/shipshape/internal/container"
	"gopkg.in/yaml.v3"
)

func (l *load) limits(s *container.Spec, m map[string]any, set func(key string, path ...string) bool) {
	var lim map[string]any
	if d, ok := m["deploy"].(map[string]any); ok {
		if r, ok := d["resources"].(map[string]any); ok {
			lim, _ = r["limits"].(map[string]any)
		}
	}
	// A key written with no usable value (0, or a variable left unset)
	// is still located, so that rules can tell it from a missing key.
	if v := bytesOf(lim["memory"]); v > 0 {
		s.MemoryBytes = v
		set(container.KeyMemory, "deploy", "resources", "limits", "memory")
	} else {
		s.MemoryBytes = bytesOf(m["mem_limit"])
		_ = set(container.KeyMemory, "mem_limit") || set(container.KeyMemory, "deploy", "resources", "limits", "memory")
	}
	if v := cpusOf(lim["cpus"]); v > 0 {
		s.NanoCPUs = v
		set(container.KeyCPUs, "deploy", "resources", "limits", "cpus")
	} else {
		s.NanoCPUs = cpusOf(m["cpus"])
		_ = set(container.KeyCPUs, "cpus") || set(container.KeyCPUs, "deploy", "resources", "limits", "cpus")
	}
	if v := int64(num(lim["pids"])); v > 0 {
		s.PidsLimit = v
		set(container.KeyPids, "deploy", "resources", "limits", "pids")
	} else {
		s.PidsLimit = max(int64(num(m["pids_limit"])), 0)
		_ = set(container.KeyPids, "pids_limit") || set(container.KeyPids, "deploy", "resources", "limits", "pids")
	}
}

var (
	reVarRef = regexp.MustCompile(`\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\})`)
	// reVarUse is one variable reference: its name, and the modifier
	// after it (`:-default`, `-default`, `:?err`, ...).
	reVarUse = regexp.MustCompile(`\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)([:?+-][^}]*)?\})`)
)

// unsetVar reports whether a raw value takes a variable that is not set
// and has no default (`${VERSION}`, `${VERSION:?set it}`), so that its
// interpolated value is not what would run.
func (l *load) unsetVar(raw string) bool {
	for _, m := range reVarUse.FindAllStringSubmatch(strings.ReplaceAll(raw, "$$", ""), -1) {
		name, mod := m[1]+m[2], m[3]
		if strings.HasPrefix(mod, "-") || strings.HasPrefix(mod, ":-") || strings.HasPrefix(mod, "+") || strings.HasPrefix(mod, ":+") {
			continue
		}
		if _, ok := l.env[name]; !ok {
			return true
		}
	}
	return false
}

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
			s.EnvIncomplete = true
			continue
		}
		data, err := os.ReadFile(full)
		if err != nil {
			s.EnvIncomplete = true
			continue
		}
		vars, err := dotenv.UnmarshalBytesWithLookup(data, func(string) (string, bool) { return "", false })
		if err != nil {
			s.EnvIncomplete = true
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

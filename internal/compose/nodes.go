package compose

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// yfile is one compose file as written: its yaml.v3 tree, kept for line
// numbers and comments.
type yfile struct {
	path string
	data []byte
	// root is the document's top-level mapping; nil when the file is empty
	// or not a mapping.
	root *yaml.Node
	// services is the mapping of services: the `services:` value, or the
	// root itself for a legacy v1 file.
	services *yaml.Node
	// servicesKey is the `services:` key node (nil for v1 files).
	servicesKey *yaml.Node
	lifted      bool
	// empty is true for a file with no YAML document (only comments).
	empty bool
	// errs are problems found in this file (broken YAML, wrong shapes).
	errs []container.LoadError
}

// topLevelKeys are the keys a compose file (v2/v3/spec) may hold at the top
// level; a file with none of them and mappings as values is a v1 file.
var topLevelKeys = map[string]bool{
	"version": true, "services": true, "networks": true, "volumes": true, "secrets": true,
	"configs": true, "name": true, "include": true, "models": true, "jobs": true,
}

var reYAMLLine = regexp.MustCompile(`line (\d+)`)

// parseYAML reads one file's node tree. Problems become errs; a file that
// cannot be parsed at all has a nil root.
func parseYAML(path string, data []byte) *yfile {
	f := &yfile{path: path, data: data}
	var doc yaml.Node
	err := yaml.Unmarshal(data, &doc)
	if err != nil {
		line := 1
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = strings.TrimSpace(strings.TrimPrefix(strings.Replace(msg, m[0], "", 1), ":"))
		}
		f.addErr(line, 0, "invalid YAML: "+msg)
		return f
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		// Only comments, or nothing: an overlay left empty on purpose
		// (a fork's seam) loads fine after the files it extends; only a
		// project of empty files is an error (LoadSources).
		f.empty = true
		return f
	}
	root := doc.Content[0]
	if root.Kind == yaml.AliasNode {
		root = root.Alias
	}
	if root.Kind != yaml.MappingNode {
		f.addErr(root.Line, root.Column, "top level of a compose file must be a mapping")
		return f
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i]; k.Kind != yaml.ScalarNode {
			f.addErr(k.Line, k.Column, "top-level keys must be strings")
			return f
		}
	}
	f.root = root
	if k, v := lookup(root, "services"); v != nil {
		f.servicesKey = k
		switch {
		case v.Kind == yaml.MappingNode:
			f.services = v
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			// `services:` with nothing under it: an empty project.
		default:
			f.addErr(k.Line, k.Column, "services must be a mapping of service names to their definitions")
		}
	} else if isV1(root) {
		f.services = root
		f.lifted = true
	}
	if f.services != nil {
		for i := 0; i+1 < len(f.services.Content); i += 2 {
			k, v := f.services.Content[i], deref(f.services.Content[i+1])
			if k.Kind != yaml.ScalarNode {
				f.addErr(k.Line, k.Column, "service names must be strings")
				continue
			}
			if f.lifted && strings.HasPrefix(k.Value, "x-") {
				continue
			}
			if v.Kind != yaml.MappingNode && !(v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
				f.addErr(k.Line, k.Column, fmt.Sprintf("service %q must be a mapping", k.Value))
			}
		}
	}
	return f
}

// isV1 reports whether a top-level mapping is a legacy (version 1) compose
// file: no top-level compose key, mappings at the top, and at least one
// of them with an image or a build (v1 required one of the two).
func isV1(root *yaml.Node) bool {
	svc := 0
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i].Value
		if topLevelKeys[k] {
			return false
		}
		if strings.HasPrefix(k, "x-") {
			continue
		}
		v := deref(root.Content[i+1])
		if v.Kind != yaml.MappingNode {
			return false
		}
		if _, img := lookup(v, "image"); img != nil {
			svc++
		} else if _, b := lookup(v, "build"); b != nil {
			svc++
		}
	}
	return svc > 0
}

func (f *yfile) addErr(line, col int, msg string) {
	if line < 1 {
		line = 1
	}
	f.errs = append(f.errs, container.LoadError{
		Pos:     container.Pos{File: f.path, Range: loc.Range{Line: line, Col: col}},
		Message: msg,
	})
}

// service returns the key and mapping nodes of a service in this file.
func (f *yfile) service(name string) (k, v *yaml.Node) {
	if f == nil || f.services == nil {
		return nil, nil
	}
	k, v = lookup(f.services, name)
	if v != nil && v.Kind != yaml.MappingNode {
		return k, nil
	}
	return k, v
}

// deref follows an alias to its anchor.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// lookup finds key in a mapping, honouring `<<` merge keys the way YAML
// does: keys written in the mapping win over merged ones, and earlier
// merge sources win over later ones.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	return lookupDepth(m, key, 0)
}

func lookupDepth(m *yaml.Node, key string, depth int) (k, v *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
		return nil, nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		if kn.Kind != yaml.ScalarNode {
			continue
		}
		if kn.Value == key && !(key == "<<" && kn.Tag == "!!merge") {
			return kn, deref(m.Content[i+1])
		}
		if kn.Value == "<<" && (kn.Tag == "!!merge" || kn.Tag == "") {
			merges = append(merges, m.Content[i+1])
		}
	}
	for _, src := range merges {
		src = deref(src)
		var list []*yaml.Node
		if src.Kind == yaml.SequenceNode {
			list = src.Content
		} else {
			list = []*yaml.Node{src}
		}
		for _, s := range list {
			if k, v := lookupDepth(s, key, depth+1); v != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// lookupPath follows a path of keys from a mapping.
func lookupPath(m *yaml.Node, path ...string) (k, v *yaml.Node) {
	v = m
	for _, p := range path {
		k, v = lookup(v, p)
		if v == nil {
			return nil, nil
		}
	}
	return k, v
}

// keyPos is the place of a key: from the key to the end of its value when
// the value is a scalar on the same line.
func (f *yfile) keyPos(k, v *yaml.Node) container.Pos {
	r := loc.Range{Line: k.Line, Col: k.Column, EndLine: k.Line, EndCol: k.Column + len(k.Value)}
	if v != nil && v.Kind == yaml.ScalarNode && v.Line == k.Line && !strings.Contains(v.Value, "\n") {
		r.EndCol = v.Column + scalarWidth(v)
	}
	return container.Pos{File: f.path, Range: r}
}

// nodePos is the place of a value node (a list item).
func (f *yfile) nodePos(n *yaml.Node) container.Pos {
	r := loc.Range{Line: n.Line, Col: n.Column, EndLine: n.Line}
	if n.Kind == yaml.ScalarNode && !strings.Contains(n.Value, "\n") {
		r.EndCol = n.Column + scalarWidth(n)
	} else {
		r.EndCol = 0
		r.Col = n.Column
	}
	return container.Pos{File: f.path, Range: r}
}

func scalarWidth(n *yaml.Node) int {
	w := len(n.Value)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		w += 2
	}
	return w
}

// Comments lists the comments of a YAML file with their lines. It scans
// the text (yaml.v3 does not keep comment lines), skipping block scalars
// and quoted strings.
func Comments(path string, data []byte) []container.Comment {
	var out []container.Comment
	lines := strings.Split(string(data), "\n")
	blockIndent := -1 // indentation of the key that opened a block scalar
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimLeft(line, " \t")
		indent := len(line) - len(trimmed)
		if blockIndent >= 0 {
			if trimmed == "" || indent > blockIndent {
				continue
			}
			blockIndent = -1
		}
		if strings.HasPrefix(trimmed, "#") {
			out = append(out, container.Comment{File: path, Line: i + 1, Text: trimmed})
			continue
		}
		code, comment := splitComment(line)
		if comment != "" {
			out = append(out, container.Comment{File: path, Line: i + 1, Text: comment, Trailing: true})
		}
		c := strings.TrimRight(code, " \t")
		if strings.HasSuffix(c, "|") || strings.HasSuffix(c, ">") || reBlockHeader.MatchString(c) {
			blockIndent = indent
			if strings.HasPrefix(trimmed, "- ") {
				blockIndent = indent // list item: content is indented further
			}
		}
	}
	return out
}

var reBlockHeader = regexp.MustCompile(`[:-]\s*[|>][+-]?[0-9]?[+-]?$`)

// splitComment separates a trailing comment from the code on a line: a #
// preceded by white space, outside quotes.
func splitComment(line string) (code, comment string) {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				if quote == '\'' && i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '"' || c == '\'':
			if i == 0 || strings.ContainsRune(" \t:[{,-", rune(line[i-1])) {
				quote = c
			}
		case c == '#':
			if i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') {
				return line[:i], line[i:]
			}
		}
	}
	return line, ""
}

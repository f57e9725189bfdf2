package composeedit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"

	"gopkg.in/yaml.v3"
)

// Edit replaces the bytes [Start, End) of the file with New.
type Edit struct {
	Start, End int
	New        string
}

// Doc is one compose file: its text and node tree, read once for any
// number of plans.
type Doc struct {
	t    text
	doc  *yaml.Node // the document node, decoded again for each plan
	root *yaml.Node
	// services is the services mapping (the root of a legacy v1 file).
	services *yaml.Node
	// V1 is true for a legacy (version 1) file: no `services:` key, and
	// none of the keys newer formats added (tmpfs, pids_limit, secrets).
	V1 bool
	// shared holds the anchored nodes some alias refers to: editing one
	// would change every place that reuses it.
	shared map[*yaml.Node]bool
	// unit is the file's indentation step; seqOffset how far a block
	// sequence's dashes stand right of the key that holds them.
	unit, seqOffset int
	multi           bool

	// once guards tree, the document decoded once for every plan's check
	// (each plan changes a copy of it), and treeErr.
	once    sync.Once
	tree    any
	treeErr error
}

// decoded returns a copy of the document decoded as plain values, for a
// plan to change into what its edits should read as. Decoding is done once
// per Doc: several rules plan fixes of the same file, and decoding it again
// for each cost more than the copy.
func (d *Doc) decoded() (any, error) {
	d.once.Do(func() { d.treeErr = d.doc.Decode(&d.tree) })
	if d.treeErr != nil {
		return nil, d.treeErr
	}
	return deepCopy(d.tree, map[uintptr]any{}), nil
}

// deepCopy copies a decoded YAML value: its mappings and lists are new,
// scalars are values. A mapping reached twice (the decoder does not share
// them, but a copy must not differ from a fresh decode if it ever did) is
// copied once, so the copy shares what the original shares.
func deepCopy(v any, seen map[uintptr]any) any {
	switch t := v.(type) {
	case map[string]any:
		if t == nil {
			return t
		}
		id := reflect.ValueOf(t).Pointer()
		if c, ok := seen[id]; ok {
			return c
		}
		c := make(map[string]any, len(t))
		seen[id] = c
		for k, x := range t {
			c[k] = deepCopy(x, seen)
		}
		return c
	case map[any]any:
		if t == nil {
			return t
		}
		id := reflect.ValueOf(t).Pointer()
		if c, ok := seen[id]; ok {
			return c
		}
		c := make(map[any]any, len(t))
		seen[id] = c
		for k, x := range t {
			c[k] = deepCopy(x, seen)
		}
		return c
	case []any:
		if t == nil {
			return t
		}
		c := make([]any, len(t), cap(t))
		for i, x := range t {
			c[i] = deepCopy(x, seen)
		}
		return c
	default:
		return v
	}
}

// Parse reads a compose file for editing. It fails on YAML that does not
// parse or whose top level is not a mapping.
func Parse(data []byte) (*Doc, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("read YAML: %w", err)
	}
	d := &Doc{t: newText(data), shared: map[*yaml.Node]bool{}, unit: 2, seqOffset: -1}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		d.multi = true
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the top level is not a mapping")
	}
	d.doc, d.root = &doc, doc.Content[0]
	if _, v := pair(d.root, "services"); v != nil {
		if v.Kind == yaml.MappingNode {
			d.services = v
		}
	} else if isLegacy(d.root) {
		d.services, d.V1 = d.root, true
	}
	walk(d.root, func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			d.shared[n.Alias] = true
		}
	})
	d.learnStyle()
	return d, nil
}

// isLegacy reports whether a top level without `services:` is a v1 file:
// mappings with an image or a build.
func isLegacy(root *yaml.Node) bool {
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "version", "networks", "volumes", "secrets", "configs", "name", "include":
			return false
		}
		v := root.Content[i+1]
		if v.Kind == yaml.MappingNode {
			if _, img := pair(v, "image"); img != nil {
				return true
			}
			if _, b := pair(v, "build"); b != nil {
				return true
			}
		}
	}
	return false
}

// learnStyle finds the file's indentation step (from its first block
// service) and where it puts the dashes of a block sequence under a key
// (level with the key, or indented), so that inserted text looks like the
// rest of the file.
func (d *Doc) learnStyle() {
	if d.services != nil && !d.V1 {
		for i := 0; i+1 < len(d.services.Content); i += 2 {
			k, v := d.services.Content[i], d.services.Content[i+1]
			if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 && v.Content[0].Column > k.Column {
				d.unit = v.Content[0].Column - k.Column
				break
			}
		}
	}
	walk(d.root, func(n *yaml.Node) {
		if d.seqOffset >= 0 || n.Kind != yaml.MappingNode || n.Style&yaml.FlowStyle != 0 {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 {
				if dash := d.dashIndent(v); dash >= 0 {
					d.seqOffset = dash - (k.Column - 1)
					return
				}
			}
		}
	})
	if d.seqOffset < 0 {
		d.seqOffset = d.unit
	}
}

// dashIndent is the column (0-based) of the dash of a block sequence's
// first item, -1 when the line does not start with it.
func (d *Doc) dashIndent(seq *yaml.Node) int {
	s := d.t.line(seq.Content[0].Line)
	in := indentOf(s)
	if in >= len(s) || s[in] != '-' || in >= seq.Content[0].Column-1 {
		return -1
	}
	return in
}

// pair returns the key and value nodes of key in a mapping (its own keys,
// not merged ones).
func pair(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// merged reports whether a mapping takes key from a merge key.
func merged(m *yaml.Node, key string) bool {
	_, v := pair(m, "<<")
	if v == nil {
		return false
	}
	srcs := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		srcs = v.Content
	}
	for _, s := range srcs {
		if s.Kind == yaml.AliasNode {
			s = s.Alias
		}
		if _, x := pair(s, key); x != nil || merged(s, key) {
			return true
		}
	}
	return false
}

func walk(n *yaml.Node, fn func(*yaml.Node)) {
	if n == nil {
		return
	}
	fn(n)
	if n.Kind == yaml.AliasNode {
		return
	}
	for _, c := range n.Content {
		walk(c, fn)
	}
}

// HasService reports whether the file defines a service of that name.
func (d *Doc) HasService(name string) bool {
	k, _ := pair(d.services, name)
	return k != nil
}

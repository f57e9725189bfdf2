package composeedit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Where a new key goes in its mapping.
type Where int

const (
	// AtEnd puts it after the mapping's last entry.
	AtEnd Where = iota
	// AtStart puts it before the first entry, which must begin its line.
	AtStart
	// AfterFirst puts it after the first entry, which must be a one-line
	// scalar (`- target: 80` of a long-syntax port).
	AfterFirst
)

// AddKey adds key with value at the end of the service's mapping, or of
// the mapping at path under it (deploy, resources, limits), which must
// exist. The key must not be set there already, directly or through a
// merge key.
func (s *Service) AddKey(path []string, key string, value any) { s.AddKeyAt(AtEnd, path, key, value) }

// AddKeyAt is AddKey at a chosen place in the mapping. Fixes that insert
// into a nested mapping use AtStart or AfterFirst, so that their text
// never lands at the same offset as a key added at the end of the
// service by another fix.
func (s *Service) AddKeyAt(at Where, path []string, key string, value any) {
	if s.p.err != nil {
		return
	}
	m := s.value(path...)
	if s.p.err != nil {
		return
	}
	where := strings.Join(append(append([]string{}, path...), key), ".")
	switch {
	case m == nil || m.Kind != yaml.MappingNode || len(m.Content) == 0:
		s.p.Refuse("service %q has no %s mapping to add %s to", s.Name, strings.Join(path, "."), key)
		return
	case merged(m, key):
		s.p.Refuse("%s of service %q comes from a merge key (<<:); overriding it here is ambiguous", where, s.Name)
		return
	}
	if k, _ := pair(m, key); k != nil {
		s.p.Refuse("service %q sets %s already", s.Name, where)
		return
	}
	e, err := s.p.d.insertKey(m, key, value, at)
	if err != nil {
		s.p.Refuse("%v", err)
		return
	}
	tp := s.treePath(stringsToAny(path)...)
	s.p.add(e, func(doc any) error {
		t, err := treeAt(doc, tp...)
		if err != nil {
			return err
		}
		mm, ok := t.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is not a mapping", where)
		}
		v, err := decoded(value)
		mm[key] = v
		return err
	})
}

// AppendItems appends items to the service's list key, adding the key
// when the service does not set it.
func (s *Service) AppendItems(key string, items ...string) {
	if s.p.err != nil || len(items) == 0 {
		return
	}
	if !s.Has(key) {
		s.AddKey(nil, key, items)
		return
	}
	seq := s.value(key)
	if s.p.err != nil {
		return
	}
	if seq.Kind == yaml.ScalarNode && seq.Tag == "!!str" && seq.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		// `tmpfs: /run` becomes a list of the old and the new values.
		vals := append([]string{seq.Value}, items...)
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = quoteFlow(v)
		}
		s.replaceScalar(seq, Raw("["+strings.Join(parts, ", ")+"]"), s.treePath(key))
		return
	}
	if seq.Kind != yaml.SequenceNode {
		s.p.Refuse("%s of service %q is not a list", key, s.Name)
		return
	}
	e, err := s.p.d.appendSeq(seq, items)
	if err != nil {
		s.p.Refuse("%v", err)
		return
	}
	tp := s.treePath(key)
	s.p.add(e, func(doc any) error {
		svc, err := treeAt(doc, s.treePath()...)
		if err != nil {
			return err
		}
		l, _ := treeAt(doc, tp...)
		list, ok := l.([]any)
		if !ok {
			return fmt.Errorf("%s is not a list", key)
		}
		for _, it := range items {
			list = append(list, it)
		}
		svc.(map[string]any)[key] = list
		return nil
	})
}

// SetScalar sets the service's key to a scalar: it replaces the value
// written (which must be a scalar) or adds the key.
func (s *Service) SetScalar(key string, value Raw) {
	if s.p.err != nil {
		return
	}
	if !s.Has(key) {
		s.AddKey(nil, key, value)
		return
	}
	v := s.value(key)
	if s.p.err != nil {
		return
	}
	s.replaceScalar(v, value, s.treePath(key))
}

// replaceScalar replaces a scalar node's text with value (a string, in the
// node's quoting style where it has one, or Raw).
func (s *Service) replaceScalar(n *yaml.Node, value any, tp []any) {
	if n.Kind != yaml.ScalarNode {
		s.p.Refuse("%s is not a single value", pathString(tp))
		return
	}
	d := s.p.d
	start := d.t.nodeOffset(n)
	end := d.t.scalarEnd(start, d.inFlow(n))
	if start < 0 || end <= start || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		s.p.Refuse("the value at line %d is written in a form the fix cannot rewrite", n.Line)
		return
	}
	var written string
	switch v := value.(type) {
	case Raw:
		written = string(v)
	case string:
		switch {
		case n.Style&yaml.DoubleQuotedStyle != 0:
			written = strconv.Quote(v)
		case n.Style&yaml.SingleQuotedStyle != 0:
			written = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case d.inFlow(n):
			written = quoteFlow(v)
		default:
			written = quote(v)
		}
	}
	s.p.add(Edit{Start: start, End: end, New: written}, func(doc any) error {
		parent, err := treeAt(doc, tp[:len(tp)-1]...)
		if err != nil {
			return err
		}
		v, err := decoded(Raw(written))
		switch c := parent.(type) {
		case map[string]any:
			c[tp[len(tp)-1].(string)] = v
		case []any:
			c[tp[len(tp)-1].(int)] = v
		default:
			return fmt.Errorf("%s: no such value", pathString(tp))
		}
		return err
	})
}

// Item is one entry of a service's list, as written.
type Item struct {
	Index int
	// Value is the scalar's value; Map is true for a mapping entry (the
	// long syntax of ports).
	Value string
	Map   bool
	// Line and Col are where the entry starts (its value, after the dash).
	Line, Col int
}

// ItemAt returns the entry of the service's list key that starts on line
// (at col, when the line holds several).
func (s *Service) ItemAt(key string, line, col int) (Item, bool) {
	var found []Item
	for _, it := range s.Items(key) {
		if it.Line == line {
			if it.Col == col {
				return it, true
			}
			found = append(found, it)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Item{}, false
}

// ReplaceItem replaces the scalar entry index of the service's list key.
func (s *Service) ReplaceItem(key string, index int, value string) {
	seq := s.value(key)
	if s.p.err != nil {
		return
	}
	if seq == nil || seq.Kind != yaml.SequenceNode || index >= len(seq.Content) {
		s.p.Refuse("%s of service %q has no entry %d", key, s.Name, index+1)
		return
	}
	it := seq.Content[index]
	if it.Kind == yaml.AliasNode || s.p.d.shared[it] {
		s.p.Refuse("entry %d of %s of service %q is an alias or anchored", index+1, key, s.Name)
		return
	}
	s.replaceScalar(it, value, s.treePath(key, index))
}

// SetItemField sets field of the mapping entry index of the service's
// list key (host_ip of a long-syntax port): it replaces the scalar
// written, or adds the field.
func (s *Service) SetItemField(key string, index int, field string, value string) {
	seq := s.value(key)
	if s.p.err != nil {
		return
	}
	if seq == nil || seq.Kind != yaml.SequenceNode || index >= len(seq.Content) || seq.Content[index].Kind != yaml.MappingNode {
		s.p.Refuse("%s of service %q has no mapping entry %d", key, s.Name, index+1)
		return
	}
	m := seq.Content[index]
	if s.p.d.shared[m] || merged(m, field) {
		s.p.Refuse("entry %d of %s of service %q is anchored or merged", index+1, key, s.Name)
		return
	}
	if _, v := pair(m, field); v != nil {
		s.replaceScalar(v, value, s.treePath(key, index, field))
		return
	}
	e, err := s.p.d.insertKey(m, field, value, AfterFirst)
	if err != nil {
		s.p.Refuse("%v", err)
		return
	}
	tp := s.treePath(key, index)
	s.p.add(e, func(doc any) error {
		t, err := treeAt(doc, tp...)
		mm, ok := t.(map[string]any)
		if err != nil || !ok {
			return fmt.Errorf("%s is not a mapping", pathString(tp))
		}
		mm[field], err = decoded(value)
		return err
	})
}

// RenameEntry renames a key of the service's mapping key (environment:
// POSTGRES_PASSWORD → POSTGRES_PASSWORD_FILE) and sets its value.
func (s *Service) RenameEntry(key, name, newName, value string) {
	m := s.value(key)
	if s.p.err != nil {
		return
	}
	if m == nil || m.Kind != yaml.MappingNode {
		s.p.Refuse("%s of service %q is not a mapping", key, s.Name)
		return
	}
	if k, _ := pair(m, newName); k != nil || merged(m, newName) || merged(m, name) {
		s.p.Refuse("%s of service %q sets %s already, or merges %s", key, s.Name, newName, name)
		return
	}
	k, v := pair(m, name)
	if k == nil || k.Style != 0 || v.Kind != yaml.ScalarNode {
		s.p.Refuse("%s of service %q has no plain %s entry with a single value", key, s.Name, name)
		return
	}
	d := s.p.d
	ks := d.t.nodeOffset(k)
	ke := ks + len(name)
	if ks < 0 || string(d.t.data[ks:ke]) != name {
		s.p.Refuse("the key %s at line %d is written in a form the fix cannot rewrite", name, k.Line)
		return
	}
	tp := s.treePath(key)
	s.p.add(Edit{Start: ks, End: ke, New: newName}, func(doc any) error {
		t, err := treeAt(doc, tp...)
		mm, ok := t.(map[string]any)
		if err != nil || !ok {
			return fmt.Errorf("%s is not a mapping", key)
		}
		mm[newName] = mm[name]
		delete(mm, name)
		return nil
	})
	s.replaceScalar(v, value, s.treePath(key, newName))
}

// AddTopEntries adds entries to a top-level mapping (`secrets:` → name:
// {file: ...}), adding the top-level key when it is missing.
func (p *Plan) AddTopEntries(section string, entries []KV) {
	if p.err != nil || len(entries) == 0 {
		return
	}
	d := p.d
	if d.V1 {
		p.Refuse("a version 1 compose file has no top-level %s", section)
		return
	}
	_, v := pair(d.root, section)
	if v == nil {
		at, lead := len(d.t.data), ""
		if at > 0 && d.t.data[at-1] != '\n' {
			lead = "\n"
		}
		if k := d.lastTop(); k != nil && k.Value == "services" && k.Column == 1 {
			// A new section at the end of the file would share its offset
			// with keys other fixes add to the last service: it goes
			// above services: (and the comments just above it) instead.
			n := k.Line
			for n > 1 && strings.HasPrefix(strings.TrimSpace(d.t.line(n-1)), "#") {
				n--
			}
			at, lead = d.t.lines[n-1], ""
		}
		txt := lead + section + ":\n" + d.renderBlock(d.unit, entries)
		p.add(Edit{Start: at, End: at, New: txt}, func(doc any) error {
			m, ok := doc.(map[string]any)
			if !ok {
				return fmt.Errorf("the top level is not a mapping")
			}
			val, err := decoded(entries)
			m[section] = val
			return err
		})
		return
	}
	if v.Kind != yaml.MappingNode || len(v.Content) == 0 || d.shared[v] {
		p.Refuse("the top-level %s is not a mapping the fix can add to", section)
		return
	}
	for _, kv := range entries {
		if k, _ := pair(v, kv.Key); k != nil || merged(v, kv.Key) {
			p.Refuse("a top-level %s entry named %s exists already", section, kv.Key)
			return
		}
	}
	e, err := d.insertKeys(v, entries, AtEnd)
	if err != nil {
		p.Refuse("%v", err)
		return
	}
	p.add(e, func(doc any) error {
		t, err := treeAt(doc, section)
		mm, ok := t.(map[string]any)
		if err != nil || !ok {
			return fmt.Errorf("%s is not a mapping", section)
		}
		for _, kv := range entries {
			if mm[kv.Key], err = decoded(kv.Value); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertKey makes the edit adding key: value at the end of mapping m, in
// its style.
func (d *Doc) insertKey(m *yaml.Node, key string, value any, at Where) (Edit, error) {
	return d.insertKeys(m, []KV{{Key: key, Value: value}}, at)
}

// insertKeys makes the edit adding entries to mapping m, in its style.
func (d *Doc) insertKeys(m *yaml.Node, kvs []KV, at Where) (Edit, error) {
	if m.Style&yaml.FlowStyle != 0 {
		pos, err := d.afterLast(m)
		if err != nil {
			return Edit{}, err
		}
		txt := renderFlow(kvs)
		return Edit{Start: pos, End: pos, New: ", " + txt[1:len(txt)-1]}, nil
	}
	first := m.Content[0]
	indent := first.Column - 1
	if s := d.t.line(first.Line); indentOf(s) != indent && !strings.HasPrefix(strings.TrimLeft(s, " "), "-") {
		return Edit{}, fmt.Errorf("the mapping at line %d is laid out in a way the fix cannot follow", first.Line)
	}
	txt := d.renderBlock(indent, kvs)
	switch at {
	case AtStart:
		if indentOf(d.t.line(first.Line)) != indent {
			return Edit{}, fmt.Errorf("the mapping at line %d does not start its line", first.Line)
		}
		o := d.t.lines[first.Line-1]
		return Edit{Start: o, End: o, New: txt}, nil
	case AfterFirst:
		v := m.Content[1]
		if v.Kind != yaml.ScalarNode || v.Line != first.Line || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return Edit{}, fmt.Errorf("the mapping at line %d does not start with a one-line value", first.Line)
		}
		if len(m.Content) > 2 && m.Content[2].Line == first.Line {
			return Edit{}, fmt.Errorf("the mapping at line %d has two entries on one line", first.Line)
		}
		return d.insertLines(first.Line, txt), nil
	}
	last := d.t.blockEnd(first.Line, indent, false)
	return d.insertLines(last, txt), nil
}

// appendSeq makes the edit appending items to a sequence, in its style.
func (d *Doc) appendSeq(seq *yaml.Node, items []string) (Edit, error) {
	if seq.Style&yaml.FlowStyle != 0 {
		parts := make([]string, len(items))
		for i, it := range items {
			parts[i] = quoteFlow(it)
		}
		if len(seq.Content) == 0 {
			at := d.t.flowEnd(d.t.nodeOffset(seq))
			if at < 0 {
				return Edit{}, fmt.Errorf("the list at line %d does not close", seq.Line)
			}
			return Edit{Start: at, End: at, New: strings.Join(parts, ", ")}, nil
		}
		at, err := d.afterLast(seq)
		if err != nil {
			return Edit{}, err
		}
		return Edit{Start: at, End: at, New: ", " + strings.Join(parts, ", ")}, nil
	}
	if len(seq.Content) == 0 {
		return Edit{}, fmt.Errorf("the list at line %d is empty", seq.Line)
	}
	dash := d.dashIndent(seq)
	if dash < 0 {
		return Edit{}, fmt.Errorf("the list at line %d is laid out in a way the fix cannot follow", seq.Line)
	}
	gap := seq.Content[0].Column - 2 - dash
	var b strings.Builder
	for _, it := range items {
		b.WriteString(strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", gap) + quote(it) + "\n")
	}
	last := d.t.blockEnd(seq.Content[0].Line, dash, true)
	return d.insertLines(last, b.String()), nil
}

// afterLast is the offset just after the last entry of a flow collection.
func (d *Doc) afterLast(c *yaml.Node) (int, error) {
	last := c.Content[len(c.Content)-1]
	start := d.t.nodeOffset(last)
	at := -1
	switch last.Kind {
	case yaml.ScalarNode:
		at = d.t.scalarEnd(start, true)
	case yaml.MappingNode, yaml.SequenceNode:
		if last.Style&yaml.FlowStyle != 0 {
			if e := d.t.flowEnd(start); e >= 0 {
				at = e + 1
			}
		}
	}
	if at < 0 || (start >= 0 && last.Kind == yaml.ScalarNode && last.Tag == "!!null" && at == start) {
		return 0, fmt.Errorf("the collection at line %d is written in a form the fix cannot extend", c.Line)
	}
	return at, nil
}

// insertLines inserts whole lines after line n.
func (d *Doc) insertLines(n int, txt string) Edit {
	at := d.t.lineEnd(n)
	if at == len(d.t.data) && (at == 0 || d.t.data[at-1] != '\n') {
		txt = "\n" + strings.TrimSuffix(txt, "\n")
	}
	return Edit{Start: at, End: at, New: txt}
}

// renderBlock writes entries as block YAML at indent.
func (d *Doc) renderBlock(indent int, kvs []KV) string {
	var b strings.Builder
	pad := strings.Repeat(" ", indent)
	for _, kv := range kvs {
		b.WriteString(pad + quote(kv.Key) + ":")
		switch v := kv.Value.(type) {
		case string:
			b.WriteString(" " + quote(v) + "\n")
		case Raw:
			b.WriteString(" " + string(v) + "\n")
		case []string:
			b.WriteString("\n")
			for _, it := range v {
				b.WriteString(strings.Repeat(" ", indent+d.seqOffset) + "- " + quote(it) + "\n")
			}
		case []KV:
			b.WriteString("\n" + d.renderBlock(indent+d.unit, v))
		}
	}
	return b.String()
}

// renderFlow writes a value as flow YAML.
func renderFlow(value any) string {
	switch v := value.(type) {
	case string:
		return quoteFlow(v)
	case Raw:
		return string(v)
	case []string:
		parts := make([]string, len(v))
		for i, it := range v {
			parts[i] = quoteFlow(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []KV:
		parts := make([]string, len(v))
		for i, kv := range v {
			parts[i] = quoteFlow(kv.Key) + ": " + renderFlow(kv.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}

// decoded is what a value decodes to, the way the edited file will read.
func decoded(value any) (any, error) {
	var v any
	if err := yaml.Unmarshal([]byte(renderFlow(value)), &v); err != nil {
		return nil, fmt.Errorf("render %v: %w", value, err)
	}
	return v, nil
}

var rePlain = regexp.MustCompile(`^[A-Za-z0-9_./][A-Za-z0-9_./=@+-]*(:[A-Za-z0-9_./=@+-]+)*$`)

// plainString reports whether s may be written unquoted and still read as
// the same string (not a number, boolean or null).
func plainString(s string) bool {
	if !rePlain.MatchString(s) {
		return false
	}
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return false
	}
	str, ok := v.(string)
	return ok && str == s
}

// quote writes a string scalar for block context: plain when that reads
// back the same, else double-quoted.
func quote(s string) string {
	if plainString(s) {
		return s
	}
	return strconv.Quote(s)
}

// quoteFlow is quote for flow context, where a colon inside a plain
// scalar is better quoted.
func quoteFlow(s string) string {
	if plainString(s) && !strings.Contains(s, ":") {
		return s
	}
	return strconv.Quote(s)
}

// inFlow reports whether a node sits inside a flow collection.
func (d *Doc) inFlow(n *yaml.Node) bool {
	found := false
	var visit func(c *yaml.Node, flow bool) bool
	visit = func(c *yaml.Node, flow bool) bool {
		if c == n {
			found = flow
			return true
		}
		if c.Kind == yaml.AliasNode {
			return false
		}
		f := flow || (c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode) && c.Style&yaml.FlowStyle != 0
		for _, x := range c.Content {
			if visit(x, f) {
				return true
			}
		}
		return false
	}
	visit(d.root, false)
	return found
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func pathString(p []any) string {
	parts := make([]string, len(p))
	for i, x := range p {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ".")
}

// lastTop is the last top-level key.
func (d *Doc) lastTop() *yaml.Node {
	if len(d.root.Content) < 2 {
		return nil
	}
	return d.root.Content[len(d.root.Content)-2]
}

// V1 reports whether the plan's file is a legacy version 1 file.
func (p *Plan) V1() bool { return p.d.V1 }

// Items returns the entries of the service's list key.
func (s *Service) Items(key string) []Item {
	seq := s.value(key)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]Item, len(seq.Content))
	for i, n := range seq.Content {
		out[i] = Item{Index: i, Value: n.Value, Map: n.Kind == yaml.MappingNode, Line: n.Line, Col: n.Column}
	}
	return out
}

// SetEnv replaces the environment entry name with newName=value, in the
// list (`- NAME=value`) or mapping (`NAME: value`) form the service uses.
func (s *Service) SetEnv(name, newName, value string) {
	env := s.value("environment")
	if s.p.err != nil {
		return
	}
	switch {
	case env == nil:
		s.p.Refuse("service %q sets no environment of its own", s.Name)
	case env.Kind == yaml.MappingNode:
		s.RenameEntry("environment", name, newName, value)
	case env.Kind == yaml.SequenceNode:
		idx := -1
		for i, n := range env.Content {
			k, _, _ := strings.Cut(n.Value, "=")
			if n.Kind == yaml.ScalarNode && strings.TrimSpace(k) == name {
				idx = i
			}
			if n.Kind == yaml.ScalarNode && strings.TrimSpace(k) == newName {
				s.p.Refuse("service %q sets %s already", s.Name, newName)
				return
			}
		}
		if idx < 0 {
			s.p.Refuse("service %q has no environment entry %s", s.Name, name)
			return
		}
		s.ReplaceItem("environment", idx, newName+"="+value)
	default:
		s.p.Refuse("environment of service %q is not a list or a mapping", s.Name)
	}
}

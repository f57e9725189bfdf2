package composeedit

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Raw is a scalar written as given (true, 512, 1g), not quoted.
type Raw string

// KV is one entry of a mapping to insert, in order.
type KV struct {
	Key   string
	Value any // string (quoted when needed), Raw, []string, or []KV
}

// Plan collects the edits of one fix and the change they must make to the
// decoded document, and verifies the two agree.
type Plan struct {
	d     *Doc
	edits []Edit
	// want mutates the decoded original into what the edited text must
	// decode to.
	want []func(doc any) error
	err  error
}

// NewPlan starts a plan of edits to the document.
func (d *Doc) NewPlan() *Plan { return &Plan{d: d} }

// Refuse records why the plan cannot be made; the first reason wins.
func (p *Plan) Refuse(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

// Err is the reason the plan was refused, nil while it stands.
func (p *Plan) Err() error { return p.err }

func (p *Plan) add(e Edit, want func(any) error) {
	p.edits = append(p.edits, e)
	p.want = append(p.want, want)
}

// Edits returns the plan's edits, sorted, once it has checked them: the
// edited text parses, decodes to what was intended, and the edits do not
// overlap. The error is the reason to refuse.
func (p *Plan) Edits() ([]Edit, error) {
	if p.err != nil {
		return nil, p.err
	}
	if len(p.edits) == 0 {
		return nil, errors.New("nothing to change")
	}
	if p.d.multi {
		return nil, errors.New("the file holds more than one YAML document")
	}
	es := slices.Clone(p.edits)
	// Of insertions at one point, the more deeply indented goes first: an
	// item appended to a list that ends a service comes before a key
	// added to the service, which comes before a new top-level section.
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Start != es[j].Start {
			return es[i].Start < es[j].Start
		}
		return depth(es[i].New) > depth(es[j].New)
	})
	// Insertions at one point are joined, in the order they were
	// planned; anything else that meets is an overlap.
	joined := es[:1]
	for _, e := range es[1:] {
		last := &joined[len(joined)-1]
		switch {
		case e.Start == last.Start && e.Start == e.End && last.Start == last.End:
			last.New += e.New
			continue
		case e.Start < last.End || e.Start == last.Start:
			return nil, errors.New("its edits overlap")
		}
		joined = append(joined, e)
	}
	es = joined
	var after any
	before, err := p.d.decoded()
	if err != nil {
		return nil, fmt.Errorf("the file does not decode: %w", err)
	}
	for _, w := range p.want {
		if err := w(before); err != nil {
			return nil, err
		}
	}
	if err := yaml.Unmarshal(Apply(p.d.t.data, es), &after); err != nil {
		return nil, fmt.Errorf("the edited file would not parse (%v); the layout is one the fix cannot follow", err)
	}
	if !reflect.DeepEqual(before, after) {
		return nil, errors.New("the edited file would not read as intended; the layout is one the fix cannot follow")
	}
	return es, nil
}

// Apply applies sorted, non-overlapping edits to data.
func Apply(data []byte, es []Edit) []byte {
	var b strings.Builder
	at := 0
	for _, e := range es {
		b.Write(data[at:e.Start])
		b.WriteString(e.New)
		at = e.End
	}
	b.Write(data[at:])
	return []byte(b.String())
}

// Service is a plan's handle on one service's mapping.
type Service struct {
	p    *Plan
	Name string
	m    *yaml.Node
}

// Service returns the plan's handle on a service. The plan is refused when
// the file does not define it, or its definition is not its own: an alias
// of another, an anchored mapping other services reuse, or `extends`.
func (p *Plan) Service(name string) *Service {
	s := &Service{p: p, Name: name}
	if p.d.services == nil {
		p.Refuse("the file defines no services")
		return s
	}
	k, v := pair(p.d.services, name)
	switch {
	case k == nil:
		p.Refuse("service %q is not defined in this file", name)
	case v.Kind == yaml.AliasNode:
		p.Refuse("service %q is an alias (*%s) of another definition; edit that one", name, v.Value)
	case v.Kind != yaml.MappingNode || len(v.Content) == 0:
		p.Refuse("service %q is not a mapping with keys", name)
	case p.d.shared[v]:
		p.Refuse("service %q is anchored (&%s) and reused elsewhere; an edit would change every alias", name, v.Anchor)
	default:
		if ek, _ := pair(v, "extends"); ek != nil {
			p.Refuse("service %q extends another definition, whose keys merge with its own; fix the base service", name)
		}
		s.m = v
	}
	return s
}

// Has reports whether the service sets key itself.
func (s *Service) Has(key string) bool {
	k, _ := pair(s.m, key)
	return k != nil
}

// value returns the node at path under the service (mapping keys), which
// must be the service's own, not from an alias or merge key.
func (s *Service) value(path ...string) *yaml.Node {
	n := s.m
	for i, k := range path {
		if n == nil {
			return nil
		}
		if merged(n, k) {
			s.p.Refuse("%s of service %q comes partly from a merge key (<<:); which definition to edit is ambiguous", strings.Join(path[:i+1], "."), s.Name)
			return nil
		}
		_, v := pair(n, k)
		if v == nil {
			return nil
		}
		if v.Kind == yaml.AliasNode {
			s.p.Refuse("%s of service %q is an alias (*%s); edit the anchored value", strings.Join(path[:i+1], "."), s.Name, v.Value)
			return nil
		}
		if s.p.d.shared[v] {
			s.p.Refuse("%s of service %q is anchored (&%s) and reused elsewhere", strings.Join(path[:i+1], "."), s.Name, v.Anchor)
			return nil
		}
		n = v
	}
	return n
}

// treeAt returns the value at path (mapping keys and list indexes) in a
// decoded document, creating nothing.
func treeAt(doc any, path ...any) (any, error) {
	cur := doc
	for _, k := range path {
		switch key := k.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%v is not a mapping with string keys", key)
			}
			cur = m[key]
		case int:
			l, ok := cur.([]any)
			if !ok || key >= len(l) {
				return nil, fmt.Errorf("item %d is not there", key)
			}
			cur = l[key]
		}
	}
	return cur, nil
}

// servicesPath is the decoded path of the services mapping.
func (s *Service) servicesPath() []any {
	if s.p.d.V1 {
		return nil
	}
	return []any{"services"}
}

func (s *Service) treePath(rest ...any) []any {
	return append(append(s.servicesPath(), s.Name), rest...)
}

// depth is the indentation of the first line of inserted text that holds
// anything.
func depth(s string) int {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return indentOf(l)
		}
	}
	return 0
}

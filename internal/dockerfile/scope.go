package dockerfile

import (
	"sort"
	"strings"
)

// VarKind says whether a variable came from ARG or ENV.
type VarKind int

// Kinds of variables.
const (
	KindArg VarKind = iota + 1
	KindEnv
	// KindBuiltin marks BuildKit's automatic platform arguments.
	KindBuiltin
)

// Var is one variable visible at an instruction.
type Var struct {
	Name  string
	Value string
	// HasValue is false for `ARG NAME` with no default and no build arg.
	HasValue bool
	Kind     VarKind
	// Line is where the variable was declared (0 for built-ins).
	Line int
}

// Scope is an immutable set of variables. A new Scope is made for every ARG
// or ENV; instructions between them share one.
type Scope struct {
	vars map[string]Var
}

// NewScope returns an empty scope.
func NewScope() *Scope { return &Scope{vars: map[string]Var{}} }

// With returns a copy of s with v set.
func (s *Scope) With(vs ...Var) *Scope {
	n := &Scope{vars: make(map[string]Var, len(s.vars)+len(vs))}
	for k, v := range s.vars {
		n.vars[k] = v
	}
	for _, v := range vs {
		n.vars[v.Name] = v
	}
	return n
}

// Lookup returns a variable by name.
func (s *Scope) Lookup(name string) (Var, bool) {
	if s == nil {
		return Var{}, false
	}
	v, ok := s.vars[name]
	return v, ok
}

// Value returns the value of a variable that has one: ARG NAME without a
// default or a --build-arg says false, as an unknown name does.
func (s *Scope) Value(name string) (string, bool) {
	v, ok := s.Lookup(name)
	if !ok || !v.HasValue {
		return "", false
	}
	return v.Value, true
}

// Names returns the variable names in sorted order.
func (s *Scope) Names() []string {
	if s == nil {
		return nil
	}
	out := make([]string, 0, len(s.vars))
	for k := range s.vars {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Get implements shell.EnvGetter. Declared variables without a value
// expand to the empty string, as in BuildKit.
func (s *Scope) Get(name string) (string, bool) {
	v, ok := s.Lookup(name)
	return v.Value, ok
}

// Keys implements shell.EnvGetter.
func (s *Scope) Keys() []string { return s.Names() }

// Expand substitutes variables in word with BuildKit's own lexer.
func (s *Scope) Expand(word string, escape rune) (string, []string) {
	// Most words have nothing to substitute, quote or unescape; skip the
	// lexer (and its allocation) for them.
	if !strings.ContainsAny(word, "$'\"") && !strings.ContainsRune(word, escape) {
		return word, nil
	}
	if s == nil {
		s = NewScope()
	}
	lex := getLex(escape)
	res, err := lex.ProcessWordWithMatches(word, s)
	putLex(escape, lex)
	if err != nil {
		return word, nil
	}
	var unmatched []string
	for k := range res.Unmatched {
		unmatched = append(unmatched, k)
	}
	sort.Strings(unmatched)
	return res.Result, unmatched
}

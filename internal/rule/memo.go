package rule

import "sync"

// Memo keeps values that several rules derive from the same input, so that
// the work is done once per input rather than once per rule: the compose
// rules' fixes all start from the same parsed file, and parsing it again
// for each fix was a quarter of a lint run. The engine gives every pass of
// one input the same Memo; a nil Memo (a pass built by hand, in a test)
// keeps nothing and computes every time.
//
// A value kept must not be changed by whoever gets it, since other rules
// read the same one. Memo is safe for concurrent use.
type Memo struct {
	mu sync.Mutex
	m  map[any]any
}

// NewMemo returns an empty Memo for one input.
func NewMemo() *Memo { return &Memo{m: map[any]any{}} }

// Get returns the value kept under key, computing it with compute the first
// time. Keys are compared with ==; a rule package uses a key type of its
// own so that its keys meet no other package's.
func (m *Memo) Get(key any, compute func() any) any {
	if m == nil {
		return compute()
	}
	m.mu.Lock()
	v, ok := m.m[key]
	m.mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	m.mu.Lock()
	if prev, ok := m.m[key]; ok {
		v = prev
	} else {
		m.m[key] = v
	}
	m.mu.Unlock()
	return v
}

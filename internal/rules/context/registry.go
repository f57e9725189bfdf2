package context

import "github.com/shipshape-sec/shipshape/internal/rule"

// All returns every build-context rule, sorted by ID.
func All() []*rule.Rule {
	return []*rule.Rule{
		CX1000,
		CX1100,
		CX1101,
		CX1102,
		CX1200,
		CX1201,
		CX1300,
	}
}

// Registry returns the validated registry of the build-context rules.
func Registry() (*rule.Registry, error) { return rule.NewRegistry(All()...) }

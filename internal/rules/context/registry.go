package context

import "github.com/shipshape-sec/shipshape/internal/rule"

// All returns every build-context rule, sorted by ID.
func All() []*rule.Rule {
	return []*rule.Rule{}
}

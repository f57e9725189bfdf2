package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// All returns every runtime rule, sorted by ID.
func All() []*rule.Rule {
	return []*rule.Rule{}
}

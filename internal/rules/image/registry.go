package image

import "github.com/shipshape-sec/shipshape/internal/rule"

// All returns every image rule, sorted by ID.
func All() []*rule.Rule {
	return []*rule.Rule{}
}

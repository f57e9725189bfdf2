package image

import "github.com/shipshape-sec/shipshape/internal/rule"

// All returns every image rule, sorted by ID. The list is explicit: adding
// a rule means adding it here, and the registry test checks order,
// uniqueness and completeness.
func All() []*rule.Rule {
	return []*rule.Rule{
		IM1000,
		IM1001,
		IM1002,
		IM1003,
		IM1004,
		IM1005,
		IM1006,
		IM1007,
		IM1008,
		IM1009,
		IM1100,
		IM1200,
		IM1201,
		IM1202,
		IM1203,
		IM1204,
		IM1205,
		IM1300,
		IM1301,
		IM1302,
		IM1400,
		IM1401,
		IM1402,
		IM1500,
		IM1501,
	}
}

// Registry returns the validated registry of the image rules.
func Registry() (*rule.Registry, error) { return rule.NewRegistry(All()...) }

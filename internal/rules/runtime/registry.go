package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// All returns every runtime rule, sorted by ID. The list is explicit:
// adding a rule means adding it here, and the registry test checks order,
// uniqueness and completeness.
func All() []*rule.Rule {
	return []*rule.Rule{
		RT1000,
		RT1001,
		RT1002,
		RT1003,
		RT1004,
		RT1005,
		RT1006,
		RT1007,
		RT1008,
		RT1009,
		RT1010,
		RT1011,
		RT1012,
		RT1013,
		RT1014,
		RT1015,
		RT1016,
		RT1017,
		RT1018,
		RT1019,
		RT1020,
		RT1021,
		RT1022,
		RT1023,
		RT1024,
		RT1025,
		RT1026,
		RT1027,
		RT1028,
		RT1029,
		RT1030,
		RT1031,
		RT1032,
		RT1033,
		RT1034,
		RT1035,
		RT1036,
		RT1037,
		RT1038,
		RT1039,
	}
}

// Registry returns the validated runtime rule registry.
func Registry() (*rule.Registry, error) { return rule.NewRegistry(All()...) }

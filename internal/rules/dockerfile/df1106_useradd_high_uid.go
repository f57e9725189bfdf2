package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1106 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1106 = &rule.Rule{
	ID:         "DF1106",
	Slug:       "useradd-high-uid",
	Title:      "useradd with a high UID and without -l",
	Severity:   rule.Low,
	Category:   rule.CatUser,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3046"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

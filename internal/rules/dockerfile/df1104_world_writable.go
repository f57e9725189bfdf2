package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1104 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1104 = &rule.Rule{
	ID:         "DF1104",
	Slug:       "world-writable",
	Title:      "Files or directories made world-writable",
	Severity:   rule.Medium,
	Category:   rule.CatUser,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

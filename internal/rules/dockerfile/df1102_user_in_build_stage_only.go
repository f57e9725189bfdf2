package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1102 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1102 = &rule.Rule{
	ID:         "DF1102",
	Slug:       "user-in-build-stage-only",
	Title:      "USER is set only in a build stage",
	Severity:   rule.Low,
	Category:   rule.CatUser,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

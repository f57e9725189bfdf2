package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1811 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1811 = &rule.Rule{
	ID:         "DF1811",
	Slug:       "undefined-variable",
	Title:      "Variable referenced but never defined",
	Severity:   rule.Medium,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "buildkit", ID: "UndefinedVar"}, {Tool: "buildkit", ID: "UndefinedArgInFrom"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1812 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1812 = &rule.Rule{
	ID:         "DF1812",
	Slug:       "inconsistent-casing",
	Title:      "Instruction keywords use inconsistent casing",
	Severity:   rule.Info,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "buildkit", ID: "ConsistentInstructionCasing"}, {Tool: "buildkit", ID: "FromAsCasing"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

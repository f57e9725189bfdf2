package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1810 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1810 = &rule.Rule{
	ID:         "DF1810",
	Slug:       "onbuild-misuse",
	Title:      "ONBUILD used in a way that cannot work",
	Severity:   rule.Medium,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3043"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1300 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1300 = &rule.Rule{
	ID:         "DF1300",
	Slug:       "toolchain-in-final-stage",
	Title:      "Final stage carries a build toolchain",
	Severity:   rule.Medium,
	Category:   rule.CatMultiStage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

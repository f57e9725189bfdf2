package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1301 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1301 = &rule.Rule{
	ID:         "DF1301",
	Slug:       "dev-dependencies-in-final-stage",
	Title:      "Development dependencies installed in the final stage",
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

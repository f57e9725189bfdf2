package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1700 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1700 = &rule.Rule{
	ID:         "DF1700",
	Slug:       "copy-before-dependencies",
	Title:      "Whole context copied before dependency installation",
	Severity:   rule.Medium,
	Category:   rule.CatCache,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

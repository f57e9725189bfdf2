package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1204 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1204 = &rule.Rule{
	ID:         "DF1204",
	Slug:       "eol-base",
	Title:      "Base image release is past end of life",
	Severity:   rule.High,
	Category:   rule.CatBaseImage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

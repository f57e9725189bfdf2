package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1201 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1201 = &rule.Rule{
	ID:         "DF1201",
	Slug:       "base-not-pinned-by-digest",
	Title:      "Base image is not pinned by digest",
	Severity:   rule.Low,
	Category:   rule.CatBaseImage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

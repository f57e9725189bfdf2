package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1202 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1202 = &rule.Rule{
	ID:         "DF1202",
	Slug:       "untrusted-base",
	Title:      "Base image is not from a trusted registry",
	Severity:   rule.High,
	Category:   rule.CatBaseImage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3026"}, {Tool: "cis-docker-1.6.0", ID: "4.2"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

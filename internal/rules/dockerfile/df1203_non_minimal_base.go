package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1203 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1203 = &rule.Rule{
	ID:         "DF1203",
	Slug:       "non-minimal-base",
	Title:      "Final stage uses a full-size base image",
	Severity:   rule.Medium,
	Category:   rule.CatBaseImage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1607 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1607 = &rule.Rule{
	ID:         "DF1607",
	Slug:       "upgrade-in-image",
	Title:      "Packages upgraded inside the image",
	Severity:   rule.Low,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "trivy", ID: "DS-0024"}, {Tool: "hadolint", ID: "DL3035"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

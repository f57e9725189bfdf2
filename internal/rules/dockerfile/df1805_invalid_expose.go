package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1805 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1805 = &rule.Rule{
	ID:         "DF1805",
	Slug:       "invalid-expose",
	Title:      "EXPOSE has an invalid port",
	Severity:   rule.Medium,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3011"}, {Tool: "trivy", ID: "DS-0008"}, {Tool: "kics", ID: "71bf8cf8-f0a1-42fa-b9d2-d10525e0a38e"}, {Tool: "buildkit", ID: "ExposeInvalidFormat"}, {Tool: "buildkit", ID: "ExposeProtoCasing"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1807 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1807 = &rule.Rule{
	ID:         "DF1807",
	Slug:       "copy-multi-source-to-file",
	Title:      "COPY of several sources to a path without a trailing slash",
	Severity:   rule.High,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3021"}, {Tool: "trivy", ID: "DS-0011"}, {Tool: "kics", ID: "6db6e0c2-32a3-4a2e-93b5-72c35f4119db"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

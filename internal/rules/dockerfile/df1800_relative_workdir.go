package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1800 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1800 = &rule.Rule{
	ID:         "DF1800",
	Slug:       "relative-workdir",
	Title:      "WORKDIR path is relative",
	Severity:   rule.Medium,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3000"}, {Tool: "trivy", ID: "DS-0009"}, {Tool: "kics", ID: "6b376af8-cfe8-49ab-a08d-f32de23661a4"}, {Tool: "checkov", ID: "CKV_DOCKER_10"}, {Tool: "buildkit", ID: "WorkdirRelativePath"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

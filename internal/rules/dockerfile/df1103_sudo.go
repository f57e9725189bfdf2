package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1103 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1103 = &rule.Rule{
	ID:         "DF1103",
	Slug:       "sudo",
	Title:      "RUN uses sudo",
	Severity:   rule.Medium,
	Category:   rule.CatUser,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3004"}, {Tool: "kics", ID: "8ada6e80-0ade-439e-b176-0b28f6bce35a"}, {Tool: "trivy", ID: "DS-0010"}, {Tool: "checkov", ID: "CKV2_DOCKER_1"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1500 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1500 = &rule.Rule{
	ID:         "DF1500",
	Slug:       "add-instead-of-copy",
	Title:      "ADD used where COPY would do",
	Severity:   rule.Low,
	Category:   rule.CatIntegrity,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3020"}, {Tool: "kics", ID: "9513a694-aa0d-41d8-be61-3271e056f36b"}, {Tool: "trivy", ID: "DS-0005"}, {Tool: "checkov", ID: "CKV_DOCKER_4"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

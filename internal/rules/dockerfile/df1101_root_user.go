package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1101 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1101 = &rule.Rule{
	ID:         "DF1101",
	Slug:       "root-user",
	Title:      "Last USER of the final stage is root",
	Severity:   rule.High,
	Category:   rule.CatUser,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3002"}, {Tool: "kics", ID: "67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae"}, {Tool: "checkov", ID: "CKV_DOCKER_8"}, {Tool: "trivy", ID: "DS-0002"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

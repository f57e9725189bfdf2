package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1504 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1504 = &rule.Rule{
	ID:         "DF1504",
	Slug:       "signature-check-disabled",
	Title:      "Package signature verification disabled",
	Severity:   rule.High,
	Category:   rule.CatIntegrity,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "checkov", ID: "CKV2_DOCKER_7"}, {Tool: "checkov", ID: "CKV2_DOCKER_8"}, {Tool: "checkov", ID: "CKV2_DOCKER_9"}, {Tool: "checkov", ID: "CKV2_DOCKER_10"}, {Tool: "checkov", ID: "CKV2_DOCKER_11"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

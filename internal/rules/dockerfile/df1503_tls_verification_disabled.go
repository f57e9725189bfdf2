package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1503 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1503 = &rule.Rule{
	ID:         "DF1503",
	Slug:       "tls-verification-disabled",
	Title:      "TLS certificate verification disabled",
	Severity:   rule.High,
	Category:   rule.CatIntegrity,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "checkov", ID: "CKV2_DOCKER_2"}, {Tool: "checkov", ID: "CKV2_DOCKER_3"}, {Tool: "checkov", ID: "CKV2_DOCKER_4"}, {Tool: "checkov", ID: "CKV2_DOCKER_5"}, {Tool: "checkov", ID: "CKV2_DOCKER_6"}, {Tool: "checkov", ID: "CKV2_DOCKER_12"}, {Tool: "checkov", ID: "CKV2_DOCKER_13"}, {Tool: "checkov", ID: "CKV2_DOCKER_14"}, {Tool: "checkov", ID: "CKV2_DOCKER_15"}, {Tool: "checkov", ID: "CKV2_DOCKER_16"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

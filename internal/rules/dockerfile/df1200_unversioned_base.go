package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1200 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1200 = &rule.Rule{
	ID:         "DF1200",
	Slug:       "unversioned-base",
	Title:      "Base image has no tag or uses latest",
	Severity:   rule.Medium,
	Category:   rule.CatBaseImage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3006"}, {Tool: "hadolint", ID: "DL3007"}, {Tool: "kics", ID: "9efb0b2d-89c9-41a3-91ca-dcc0aec911fd"}, {Tool: "kics", ID: "f45ea400-6bbe-4501-9fc7-1c3d75c32067"}, {Tool: "trivy", ID: "DS-0001"}, {Tool: "checkov", ID: "CKV_DOCKER_7"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

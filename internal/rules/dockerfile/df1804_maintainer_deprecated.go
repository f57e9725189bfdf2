package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1804 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1804 = &rule.Rule{
	ID:         "DF1804",
	Slug:       "maintainer-deprecated",
	Title:      "MAINTAINER is deprecated",
	Severity:   rule.Info,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL4000"}, {Tool: "trivy", ID: "DS-0022"}, {Tool: "kics", ID: "99614418-f82b-4852-a9ae-5051402b741c"}, {Tool: "checkov", ID: "CKV_DOCKER_6"}, {Tool: "buildkit", ID: "MaintainerDeprecated"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

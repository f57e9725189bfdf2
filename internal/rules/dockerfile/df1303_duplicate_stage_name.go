package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1303 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1303 = &rule.Rule{
	ID:         "DF1303",
	Slug:       "duplicate-stage-name",
	Title:      "Two stages share one name",
	Severity:   rule.High,
	Category:   rule.CatMultiStage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3024"}, {Tool: "trivy", ID: "DS-0012"}, {Tool: "kics", ID: "f2daed12-c802-49cd-afed-fe41d0b82fed"}, {Tool: "checkov", ID: "CKV_DOCKER_11"}, {Tool: "buildkit", ID: "DuplicateStageName"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1100 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1100 = &rule.Rule{
	ID:         "DF1100",
	Slug:       "missing-user",
	Title:      "Final stage does not switch to a non-root USER",
	Severity:   rule.High,
	Category:   rule.CatUser,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "kics", ID: "fd54f200-402c-4333-a5a4-36ef6709af2f"}, {Tool: "trivy", ID: "DS-0002"}, {Tool: "checkov", ID: "CKV_DOCKER_3"}, {Tool: "cis-docker-1.6.0", ID: "4.1"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

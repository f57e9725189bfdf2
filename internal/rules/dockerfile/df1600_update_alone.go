package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1600 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1600 = &rule.Rule{
	ID:         "DF1600",
	Slug:       "update-alone",
	Title:      "Package index updated without installing in the same RUN",
	Severity:   rule.Medium,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "trivy", ID: "DS-0017"}, {Tool: "kics", ID: "9bae49be-0aa3-4de5-bab2-4c3a069e40cd"}, {Tool: "checkov", ID: "CKV_DOCKER_5"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1900 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1900 = &rule.Rule{
	ID:         "DF1900",
	Slug:       "expose-ssh",
	Title:      "Port 22 is exposed",
	Severity:   rule.Medium,
	Category:   rule.CatRuntime,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "trivy", ID: "DS-0004"}, {Tool: "kics", ID: "5907595b-5b6d-4142-b173-dbb0e73fbff8"}, {Tool: "checkov", ID: "CKV_DOCKER_1"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

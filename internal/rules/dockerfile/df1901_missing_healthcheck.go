package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1901 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1901 = &rule.Rule{
	ID:         "DF1901",
	Slug:       "missing-healthcheck",
	Title:      "Final stage has no HEALTHCHECK",
	Severity:   rule.Low,
	Category:   rule.CatRuntime,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3057"}, {Tool: "trivy", ID: "DS-0026"}, {Tool: "kics", ID: "b03a748a-542d-44f4-bb86-9199ab4fd2d5"}, {Tool: "checkov", ID: "CKV_DOCKER_2"}, {Tool: "cis-docker-1.6.0", ID: "4.6"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1808 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1808 = &rule.Rule{
	ID:         "DF1808",
	Slug:       "apt-instead-of-apt-get",
	Title:      "apt used instead of apt-get",
	Severity:   rule.Low,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3027"}, {Tool: "kics", ID: "b84a0b47-2e99-4c9f-8933-98bcabe2b94d"}, {Tool: "checkov", ID: "CKV_DOCKER_9"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

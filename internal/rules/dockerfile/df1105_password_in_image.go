package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1105 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1105 = &rule.Rule{
	ID:         "DF1105",
	Slug:       "password-in-image",
	Title:      "Password set inside the image",
	Severity:   rule.High,
	Category:   rule.CatUser,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "checkov", ID: "CKV2_DOCKER_17"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1402 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1402 = &rule.Rule{
	ID:         "DF1402",
	Slug:       "secret-file-copied",
	Title:      "Secret file copied into the image",
	Severity:   rule.High,
	Category:   rule.CatSecrets,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "trivy", ID: "DS-0031"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

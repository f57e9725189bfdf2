package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1603 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1603 = &rule.Rule{
	ID:         "DF1603",
	Slug:       "apk-cache-kept",
	Title:      "apk add without --no-cache",
	Severity:   rule.Low,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3019"}, {Tool: "trivy", ID: "DS-0025"}, {Tool: "kics", ID: "ae9c56a6-3ed1-4ac0-9b54-31267f51151d"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

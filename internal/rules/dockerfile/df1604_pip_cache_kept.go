package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1604 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1604 = &rule.Rule{
	ID:         "DF1604",
	Slug:       "pip-cache-kept",
	Title:      "pip install without --no-cache-dir",
	Severity:   rule.Low,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3042"}, {Tool: "kics", ID: "f2f903fb-b977-461e-98d7-b3e2185c6118"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1608 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1608 = &rule.Rule{
	ID:         "DF1608",
	Slug:       "consecutive-run",
	Title:      "Consecutive RUN instructions could be one",
	Severity:   rule.Info,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3059"}, {Tool: "kics", ID: "0008c003-79aa-42d8-95b8-1c2fe37dbfe6"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

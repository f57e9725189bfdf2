package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1813 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1813 = &rule.Rule{
	ID:         "DF1813",
	Slug:       "legacy-key-value",
	Title:      "ENV or LABEL uses the legacy space-separated form",
	Severity:   rule.Info,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "buildkit", ID: "LegacyKeyValueFormat"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

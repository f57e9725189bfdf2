package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1814 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1814 = &rule.Rule{
	ID:         "DF1814",
	Slug:       "shell-changed-by-run",
	Title:      "Default shell replaced with RUN instead of SHELL",
	Severity:   rule.Low,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL4005"}, {Tool: "kics", ID: "8a301064-c291-4b20-adcb-403fe7fd95fd"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

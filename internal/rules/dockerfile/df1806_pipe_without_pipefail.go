package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1806 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1806 = &rule.Rule{
	ID:         "DF1806",
	Slug:       "pipe-without-pipefail",
	Title:      "RUN pipes without pipefail",
	Severity:   rule.Low,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL4006"}, {Tool: "kics", ID: "efbf148a-67e9-42d2-ac47-02fa1c0d0b22"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

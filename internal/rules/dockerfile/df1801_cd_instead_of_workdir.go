package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1801 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1801 = &rule.Rule{
	ID:         "DF1801",
	Slug:       "cd-instead-of-workdir",
	Title:      "RUN uses cd instead of WORKDIR",
	Severity:   rule.Low,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3003"}, {Tool: "trivy", ID: "DS-0013"}, {Tool: "kics", ID: "f4a6bcd3-e231-4acf-993c-aa027be50d2e"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

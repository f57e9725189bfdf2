package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1809 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1809 = &rule.Rule{
	ID:         "DF1809",
	Slug:       "missing-assume-yes",
	Title:      "Package install may wait for confirmation",
	Severity:   rule.Medium,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3014"}, {Tool: "hadolint", ID: "DL3030"}, {Tool: "hadolint", ID: "DL3034"}, {Tool: "hadolint", ID: "DL3038"}, {Tool: "trivy", ID: "DS-0021"}, {Tool: "kics", ID: "77783205-c4ca-4f80-bb80-c777f267c547"}, {Tool: "kics", ID: "45e1fca5-f90e-465d-825f-c2cb63fa3944"}, {Tool: "kics", ID: "7ebd323c-31b7-4e5b-b26f-de5e9e477af8"}, {Tool: "kics", ID: "6e19193a-8753-436d-8a09-76dcff91bb03"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1803 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1803 = &rule.Rule{
	ID:         "DF1803",
	Slug:       "shell-form-cmd",
	Title:      "CMD or ENTRYPOINT in shell form",
	Severity:   rule.Low,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3025"}, {Tool: "kics", ID: "b86987e1-6397-4619-81d5-8807f2387c79"}, {Tool: "buildkit", ID: "JSONArgsRecommended"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

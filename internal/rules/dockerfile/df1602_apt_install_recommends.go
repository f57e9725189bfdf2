package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1602 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1602 = &rule.Rule{
	ID:         "DF1602",
	Slug:       "apt-install-recommends",
	Title:      "apt-get install without --no-install-recommends",
	Severity:   rule.Low,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3015"}, {Tool: "trivy", ID: "DS-0029"}, {Tool: "kics", ID: "7384dfb2-fcd1-4fbf-91cd-6c44c318c33c"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

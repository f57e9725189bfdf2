package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1304 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1304 = &rule.Rule{
	ID:         "DF1304",
	Slug:       "copy-whole-filesystem",
	Title:      "COPY --from copies a whole filesystem",
	Severity:   rule.Medium,
	Category:   rule.CatMultiStage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3067"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

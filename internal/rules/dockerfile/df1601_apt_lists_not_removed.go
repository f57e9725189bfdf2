package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1601 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1601 = &rule.Rule{
	ID:         "DF1601",
	Slug:       "apt-lists-not-removed",
	Title:      "apt lists not removed in the same RUN",
	Severity:   rule.Low,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3009"}, {Tool: "kics", ID: "df746b39-6564-4fed-bf85-e9c44382303c"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

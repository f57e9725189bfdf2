package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1606 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1606 = &rule.Rule{
	ID:         "DF1606",
	Slug:       "removed-in-later-layer",
	Title:      "Files deleted in a later layer than the one that added them",
	Severity:   rule.Medium,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

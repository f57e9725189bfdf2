package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1502 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1502 = &rule.Rule{
	ID:         "DF1502",
	Slug:       "pipe-to-shell",
	Title:      "Remote script piped into a shell",
	Severity:   rule.High,
	Category:   rule.CatIntegrity,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

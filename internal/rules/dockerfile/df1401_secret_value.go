package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1401 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1401 = &rule.Rule{
	ID:         "DF1401",
	Slug:       "secret-value",
	Title:      "Secret-looking value written in the Dockerfile",
	Severity:   rule.Critical,
	Category:   rule.CatSecrets,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

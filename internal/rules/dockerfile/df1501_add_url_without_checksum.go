package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1501 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1501 = &rule.Rule{
	ID:         "DF1501",
	Slug:       "add-url-without-checksum",
	Title:      "ADD downloads a URL without --checksum",
	Severity:   rule.Medium,
	Category:   rule.CatIntegrity,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "kics", ID: "4b410d24-1cbe-4430-a632-62c9a931cf1c"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

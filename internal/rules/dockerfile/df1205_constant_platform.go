package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1205 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1205 = &rule.Rule{
	ID:         "DF1205",
	Slug:       "constant-platform",
	Title:      "FROM --platform is set to a constant",
	Severity:   rule.Low,
	Category:   rule.CatBaseImage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3029"}, {Tool: "kics", ID: "b16e8501-ef3c-44e1-a543-a093238099c9"}, {Tool: "buildkit", ID: "FromPlatformFlagConstDisallowed"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

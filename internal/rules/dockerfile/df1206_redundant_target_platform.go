package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1206 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1206 = &rule.Rule{
	ID:         "DF1206",
	Slug:       "redundant-target-platform",
	Title:      "FROM --platform=$TARGETPLATFORM is redundant",
	Severity:   rule.Info,
	Category:   rule.CatBaseImage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3065"}, {Tool: "buildkit", ID: "RedundantTargetPlatform"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

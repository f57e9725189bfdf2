package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1505 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1505 = &rule.Rule{
	ID:         "DF1505",
	Slug:       "unpinned-packages",
	Title:      "Packages installed without pinned versions",
	Severity:   rule.Low,
	Category:   rule.CatIntegrity,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3008"}, {Tool: "hadolint", ID: "DL3013"}, {Tool: "hadolint", ID: "DL3016"}, {Tool: "hadolint", ID: "DL3018"}, {Tool: "hadolint", ID: "DL3028"}, {Tool: "hadolint", ID: "DL3033"}, {Tool: "hadolint", ID: "DL3037"}, {Tool: "hadolint", ID: "DL3041"}, {Tool: "hadolint", ID: "DL3062"}, {Tool: "kics", ID: "965a08d7-ef86-4f14-8792-4a3b2098937e"}, {Tool: "kics", ID: "22cd11f7-9c6c-4f6e-84c0-02058120b341"}, {Tool: "kics", ID: "93d88cf7-f078-46a8-8ddc-178e03aeacf1"}, {Tool: "kics", ID: "e36d8880-3f78-4546-b9a1-12f0745ca0d5"}, {Tool: "kics", ID: "d3499f6d-1651-41bb-a9a7-de925fea487b"}, {Tool: "kics", ID: "02d9c71f-3ee8-4986-9c27-1a20d0d19bfc"}, {Tool: "kics", ID: "6452c424-1d92-4deb-bb18-a03e95d579c4"}, {Tool: "kics", ID: "562952e4-0348-4dea-9826-44f3a2c6117b"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1605 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1605 = &rule.Rule{
	ID:         "DF1605",
	Slug:       "package-cache-kept",
	Title:      "Package manager cache not cleaned in the same RUN",
	Severity:   rule.Low,
	Category:   rule.CatLean,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3032"}, {Tool: "hadolint", ID: "DL3036"}, {Tool: "hadolint", ID: "DL3040"}, {Tool: "hadolint", ID: "DL3060"}, {Tool: "trivy", ID: "DS-0015"}, {Tool: "trivy", ID: "DS-0019"}, {Tool: "trivy", ID: "DS-0020"}, {Tool: "trivy", ID: "DS-0027"}, {Tool: "kics", ID: "295acb63-9246-4b21-b441-7c1f1fb62dc0"}, {Tool: "kics", ID: "38300d1a-feb2-4a48-936a-d1ef1cd24313"}, {Tool: "kics", ID: "00481784-25aa-4a55-8633-3136dfcf4f37"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

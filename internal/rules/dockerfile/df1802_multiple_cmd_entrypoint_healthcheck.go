package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1802 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1802 = &rule.Rule{
	ID:         "DF1802",
	Slug:       "multiple-cmd-entrypoint-healthcheck",
	Title:      "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage",
	Severity:   rule.Medium,
	Category:   rule.CatCorrectness,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL4003"}, {Tool: "hadolint", ID: "DL4004"}, {Tool: "hadolint", ID: "DL3012"}, {Tool: "trivy", ID: "DS-0016"}, {Tool: "trivy", ID: "DS-0007"}, {Tool: "trivy", ID: "DS-0023"}, {Tool: "kics", ID: "41c195f4-fc31-4a5c-8a1b-90605538d49f"}, {Tool: "kics", ID: "6938958b-3f1a-451c-909b-baeee14bdc97"}, {Tool: "buildkit", ID: "MultipleInstructionsDisallowed"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

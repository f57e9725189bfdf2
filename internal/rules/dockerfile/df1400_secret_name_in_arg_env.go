package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1400 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1400 = &rule.Rule{
	ID:         "DF1400",
	Slug:       "secret-name-in-arg-env",
	Title:      "ARG or ENV name suggests a secret",
	Severity:   rule.High,
	Category:   rule.CatSecrets,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3064"}, {Tool: "buildkit", ID: "SecretsUsedInArgOrEnv"}, {Tool: "trivy", ID: "DS-0031"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

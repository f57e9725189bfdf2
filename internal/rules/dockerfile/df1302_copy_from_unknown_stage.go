package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1302 is a STUB awaiting implementation: the metadata is final, the
// rationale, examples and check are not.
var DF1302 = &rule.Rule{
	ID:         "DF1302",
	Slug:       "copy-from-unknown-stage",
	Title:      "COPY --from names an unknown, later or the same stage",
	Severity:   rule.High,
	Category:   rule.CatMultiStage,
	Rationale:  "TODO: rationale, at least forty characters long, explaining why.",
	Fix:        "TODO",
	Bad:        "TODO",
	Good:       "TODO",
	Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL3022"}, {Tool: "hadolint", ID: "DL3023"}, {Tool: "trivy", ID: "DS-0006"}, {Tool: "kics", ID: "cdddb86f-95f6-4fc4-b5a1-483d9afceb2b"}},
	References: []string{"https://docs.docker.com/build/building/best-practices/"},
	Check:      stub,
}

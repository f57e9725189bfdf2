package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1001 is reported by the engine after suppressions are applied (see
// scan.LintDockerfile): whether a pragma is unused depends on every other
// rule's findings, which a single rule cannot see. Its Check therefore
// reports nothing itself.
var DF1001 = &rule.Rule{
	ID:       "DF1001",
	Slug:     "unused-suppression",
	Title:    "Suppression comment matches no finding",
	Severity: rule.Low,
	Category: rule.CatMeta,
	Rationale: "An ignore comment that no longer hides anything is noise at best; at worst it was meant for another line " +
		"and the finding it should cover is still there, or it will silently hide a future problem.",
	Fix:        "Delete the comment, or move it directly above the instruction whose finding it is meant to cover.",
	Bad:        "# shipshape ignore=DF1103 -- legacy script needs sudo\nRUN echo no sudo here",
	Good:       "RUN echo no sudo here",
	References: []string{"https://github.com/shipshape-sec/shipshape/blob/main/README.md#suppressing-findings"},
	Check:      func(*rule.Pass) error { return nil },
}

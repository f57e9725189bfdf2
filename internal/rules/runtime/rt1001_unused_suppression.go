package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// RT1001 is reported by the engine after suppressions are applied (see
// scan.LintRuntime): whether a pragma is unused depends on every other
// rule's findings, which a single rule cannot see. Its Check therefore
// reports nothing itself.
var RT1001 = &rule.Rule{
	ID:       "RT1001",
	Slug:     "unused-runtime-suppression",
	Title:    "Suppression comment matches no finding",
	Severity: rule.Low,
	Category: rule.CatMeta,
	Rationale: "An ignore comment that no longer hides anything is noise at best; at worst it sits on the wrong key and the " +
		"finding it should cover is still there, or it will silently hide a future problem on that line.",
	Fix:        "Delete the comment, or move it onto the key whose finding it is meant to cover (same line or the line above).",
	Bad:        "services:\n  web:\n    image: nginx:1.27\n    # shipshape ignore=RT1003 -- needs raw devices\n    read_only: true",
	Good:       "services:\n  web:\n    image: nginx:1.27\n    read_only: true",
	References: []string{"https://github.com/shipshape-sec/shipshape/blob/main/README.md#suppressing-findings"},
	Check:      func(*rule.Pass) error { return nil },
}

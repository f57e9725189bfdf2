package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1002 reports shipshape ignore comments in YAML that cannot take effect:
// a reason is mandatory so that every suppression explains itself in
// review.
var RT1002 = &rule.Rule{
	ID:       "RT1002",
	Slug:     "malformed-runtime-suppression",
	Title:    "Suppression comment has no reason or is malformed",
	Severity: rule.Medium,
	Category: rule.CatMeta,
	Rationale: "A suppression hides a finding from the gate, so the reason for it must be written down where reviewers see it. " +
		"shipshape ignores a suppression without a reason and reports it instead.",
	Fix:        "Write the comment as `# shipshape ignore=ID[,ID] -- reason` on the key's line or the line above (or `file-ignore=` for the whole file).",
	Bad:        "services:\n  app:\n    image: app:1.4\n    privileged: true # shipshape ignore=RT1003",
	Good:       "services:\n  app:\n    image: app:1.4\n    privileged: true # shipshape ignore=RT1003 -- loads a kernel module at start, host is single-purpose",
	References: []string{"https://github.com/shipshape-sec/shipshape/blob/main/README.md#suppressing-findings"},
	Check: func(p *rule.Pass) error {
		if projectOf(p) == nil {
			return nil
		}
		for _, c := range projectOf(p).Comments {
			pr, ok := rule.ParsePragma(CommentText(c), c.Line)
			if ok && pr.Problem != "" {
				file := c.File
				if file == "" {
					file = projectOf(p).File
				}
				report(p, container.Pos{File: file, Range: loc.Line(c.Line)}, 0, "suppression comment %s, so it suppresses nothing", pr.Problem)
			}
		}
		return nil
	},
}

// CommentText returns a comment's text without its leading '#', as
// rule.ParsePragma expects it.
func CommentText(c container.Comment) string {
	return strings.TrimPrefix(strings.TrimSpace(c.Text), "#")
}

package dockerfile

import "github.com/shipshape-sec/shipshape/internal/rule"

// DF1002 reports ignore comments that cannot take effect: a shipshape
// comment without a reason (a reason is mandatory so that every suppression
// explains itself in review), and a hadolint comment hadolint itself would
// not read (a malformed one, or one naming something that is no hadolint
// code), which shipshape does not honour either.
var DF1002 = &rule.Rule{
	ID:       "DF1002",
	Slug:     "malformed-suppression",
	Title:    "Suppression comment has no reason or is malformed",
	Severity: rule.Medium,
	Category: rule.CatMeta,
	Rationale: "A suppression hides a finding from the gate, so the reason for it must be written down where reviewers see it. " +
		"shipshape ignores a suppression without a reason and reports it instead. A `# hadolint ignore=` comment that hadolint " +
		"would not read (a misspelt keyword, a list holding a shipshape ID or a name that is no DL or SC code) silences nothing " +
		"in either tool, so it is reported too.",
	Fix:        "Write the comment as `# shipshape ignore=ID[,ID] -- reason` (or `file-ignore=` for the whole file).",
	Bad:        "# shipshape ignore=DF1103\nRUN sudo make install",
	Good:       "# shipshape ignore=DF1103 -- vendor installer insists on sudo, removed in the next stage\nRUN sudo make install",
	References: []string{"https://github.com/shipshape-sec/shipshape/blob/main/README.md#suppressing-findings", "https://github.com/hadolint/hadolint#ignoring-rules"},
	Check: func(p *rule.Pass) error {
		for _, c := range fileOf(p).Comments {
			pr, ok := rule.ParsePragma(c.Text, c.Line)
			if ok && pr.Problem != "" {
				p.Reportf(fileOf(p).CommentRange(c.Line), "suppression comment %s, so it suppresses nothing", pr.Problem)
			}
		}
		return nil
	},
}

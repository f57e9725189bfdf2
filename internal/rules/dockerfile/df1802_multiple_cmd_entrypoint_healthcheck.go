package dockerfile

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1802 flags a CMD, ENTRYPOINT or HEALTHCHECK that a later one of the same
// kind in the same stage overrides. Only the last one takes effect, so the
// earlier one is dead code and usually a merge or copy-paste mistake. Like
// `docker build --check`, the overridden (earlier) instruction is reported.
var DF1802 = &rule.Rule{
	ID:       "DF1802",
	Slug:     "multiple-cmd-entrypoint-healthcheck",
	Title:    "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage",
	Severity: rule.Medium,
	Category: rule.CatCorrectness,
	Rationale: "An image has one default command, one entrypoint and one health check: each CMD, ENTRYPOINT or HEALTHCHECK " +
		"replaces the previous one of its stage. A reader (or reviewer) who sees the first one believes the container starts or " +
		"is probed that way, while the image actually does something else; health checks and start commands that silently " +
		"vanish are hard to notice until production.",
	Fix:   "Keep only the CMD, ENTRYPOINT or HEALTHCHECK that should apply and delete the overridden ones.",
	Bad:   "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nCMD [\"nginx-debug\", \"-g\", \"daemon off;\"]",
	Good:  "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL4003"}, {Tool: "hadolint", ID: "DL4004"}, {Tool: "hadolint", ID: "DL3012"}, {Tool: "trivy", ID: "DS-0016"}, {Tool: "trivy", ID: "DS-0007"}, {Tool: "trivy", ID: "DS-0023"}, {Tool: "kics", ID: "41c195f4-fc31-4a5c-8a1b-90605538d49f"}, {Tool: "kics", ID: "6938958b-3f1a-451c-909b-baeee14bdc97"}, {Tool: "buildkit", ID: "MultipleInstructionsDisallowed"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#cmd",
		"https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/",
		"https://github.com/hadolint/hadolint/wiki/DL4003",
		"https://github.com/hadolint/hadolint/wiki/DL4004",
		"https://github.com/hadolint/hadolint/wiki/DL3012",
	},
	Check: checkMultipleCmd,
}

func checkMultipleCmd(p *rule.Pass) error {
	for _, st := range fileOf(p).Stages {
		last := map[string]int{}
		for _, in := range st.Instructions {
			switch in.Keyword {
			case "CMD", "ENTRYPOINT", "HEALTHCHECK":
				last[in.Keyword] = in.Range.Line
			}
		}
		for _, in := range st.Instructions {
			switch in.Keyword {
			case "CMD", "ENTRYPOINT", "HEALTHCHECK":
				if l := last[in.Keyword]; l != in.Range.Line {
					p.Reportf(in.Start(), "%s is overridden by the %s on line %d of stage %s; only the last one takes effect", in.KeywordAsWritten, in.Keyword, l, st.Label())
				}
			}
		}
	}
	return nil
}

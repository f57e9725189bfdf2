package dockerfile

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1804 flags the MAINTAINER instruction. It has been deprecated since
// Docker 1.13: the value lands in the image's Author field, which tools no
// longer read, while labels are where registries and scanners look.
var DF1804 = &rule.Rule{
	ID:       "DF1804",
	Slug:     "maintainer-deprecated",
	Title:    "MAINTAINER is deprecated",
	Severity: rule.Info,
	Category: rule.CatCorrectness,
	Rationale: "MAINTAINER writes to a legacy Author field of the image config that registries, SBOM tools and scanners ignore, " +
		"so the contact it names is effectively lost. The OCI label org.opencontainers.image.authors carries the same information " +
		"where tooling reads it, and can be inspected and overridden like any other label.",
	Fix:   "Replace MAINTAINER with `LABEL org.opencontainers.image.authors=\"name <email>\"`.",
	Bad:   "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>",
	Good:  "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL4000"}, {Tool: "trivy", ID: "DS-0022"}, {Tool: "kics", ID: "99614418-f82b-4852-a9ae-5051402b741c"}, {Tool: "checkov", ID: "CKV_DOCKER_6"}, {Tool: "buildkit", ID: "MaintainerDeprecated"}},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#maintainer-deprecated",
		"https://docs.docker.com/reference/build-checks/maintainer-deprecated/",
		"https://github.com/hadolint/hadolint/wiki/DL4000",
	},
	Check: checkMaintainerDeprecated,
}

func checkMaintainerDeprecated(p *rule.Pass) error {
	for _, in := range fileOf(p).Instructions {
		if in.Keyword != "MAINTAINER" {
			continue
		}
		who := strings.TrimSpace(strings.Join(in.Args, " "))
		if who == "" {
			p.Reportf(in.Start(), "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors")
			continue
		}
		label := "LABEL org.opencontainers.image.authors=" + labelQuote(strings.Trim(who, `"`))
		p.Report(rule.Finding{
			Message:  fmt.Sprintf("MAINTAINER %s is deprecated; use LABEL org.opencontainers.image.authors=%q", who, strings.Trim(who, `"`)),
			Location: rule.Location{Range: in.Start()},
			Fixes: []rule.Fix{{Title: "replace MAINTAINER with the authors label", Level: rule.FixSafe, Edits: []rule.Edit{{
				Range: loc.Range{Line: in.Range.Line, Col: in.Range.Col, EndLine: in.Range.Normalized().EndLine},
				New:   label,
			}}}},
		})
	}
	return nil
}

// labelQuote writes s as a double-quoted LABEL value: backslashes, quotes
// and dollar signs escaped, so that the label holds s exactly.
func labelQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`).Replace(s) + `"`
}

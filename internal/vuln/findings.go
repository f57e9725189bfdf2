package vuln

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Findings turns match results into findings: the advisory id is the
// rule id (CONTRACT.md), the location is the image layer that introduced
// the package and the file it was read from. Results a VEX statement
// declares not affected come back suppressed, so they stay visible in
// JSON and SARIF without counting.
func Findings(results []Result, imageRef string) []rule.Finding {
	out := make([]rule.Finding, 0, len(results))
	for _, r := range results {
		sev, err := rule.ParseSeverity(r.Severity)
		if err != nil {
			sev = rule.Unknown
		}
		p := r.Package
		name := p.Name
		if r.Queried != "" && r.Queried != p.Name {
			name = fmt.Sprintf("%s (source %s)", p.Name, r.Queried)
		}
		fix := "no fix yet"
		switch r.FixState {
		case FixStateFixed:
			fix = "fixed in " + r.FixedVersion
		case FixStateWontFix:
			fix = "will not be fixed"
		case FixStateNotAffected:
			fix = "not affected per VEX"
		}
		f := rule.Finding{
			RuleID:   r.ID,
			Severity: sev,
			Message:  fmt.Sprintf("%s %s is affected by %s (%s)", name, p.Version, r.ID, fix),
			File:     imageRef,
			Package:  p.Name,
			Aliases:  r.Aliases,
			Snippet:  p.Ecosystem + ":" + p.Name + "@" + p.Version,
			Image: &rule.ImageLocation{
				Image: imageRef, LayerDigest: p.LayerDigest, LayerIndex: p.Layer, Path: p.Location,
			},
		}
		if r.FixState == FixStateFixed {
			f.Fix = fmt.Sprintf("upgrade %s to %s or later", p.Name, r.FixedVersion)
		}
		if r.FixState == FixStateNotAffected {
			f.Suppression = &rule.Suppression{Kind: "vex", Justification: "not affected (VEX)"}
		}
		out = append(out, f)
	}
	return out
}

package vuln

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Findings turns match results into findings: the advisory id is the
// rule id (docs/contract.md), the location is the image layer that introduced
// the package and the file it was read from. Results a VEX statement
// declares not affected come back suppressed, so they stay visible in
// JSON and SARIF without counting.
func Findings(results []Result, imageRef string) []rule.Finding {
	out := make([]rule.Finding, 0, len(results))
	for _, r := range results {
		sev := r.Severity
		if sev == 0 {
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
			Vuln: &rule.Vulnerability{
				Package: p.Name, Version: p.Version, Aliases: r.Aliases,
				Summary: r.Summary, HelpURI: helpURI(r), Score: r.Score, SeverityFrom: r.SeverityFrom,
				FixState: string(r.FixState), FixedVersion: r.FixedVersion,
			},
			Snippet: p.Ecosystem + ":" + p.Name + "@" + p.Version,
			// The package, not its version, identifies the finding: an
			// upgrade that is still affected is the same problem.
			Token: p.Ecosystem + ":" + p.Name,
			Location: rule.Location{File: imageRef, Image: &rule.ImageLocation{
				Image: imageRef, LayerDigest: p.LayerDigest, LayerIndex: p.Layer, Path: p.Location,
			}},
		}
		if r.Queried != "" && r.Queried != p.Name {
			f.Vuln.SourcePackage = r.Queried
		}
		if r.FixState == FixStateFixed {
			f.Remedy = fmt.Sprintf("upgrade %s to %s or later", p.Name, r.FixedVersion)
		}
		if r.FixState == FixStateNotAffected {
			f.Suppression = &rule.Suppression{Kind: "vex", Justification: "not affected (VEX)"}
		}
		out = append(out, f)
	}
	return out
}

// SBOMFindings is Findings for packages read from an SBOM document rather
// than an image: each finding is located at the document itself, with no
// layer.
func SBOMFindings(results []Result, path string) []rule.Finding {
	fs := Findings(results, path)
	for i := range fs {
		fs[i].Image = nil
		fs[i].File = path
	}
	return fs
}

// DropUnfixed keeps only the results with a fixed version to upgrade to
// (--ignore-unfixed), and those a VEX statement declares not affected, so
// that they stay visible as suppressed.
func DropUnfixed(results []Result) []Result {
	out := results[:0:0]
	for _, r := range results {
		if r.FixState == FixStateFixed || r.FixState == FixStateNotAffected {
			out = append(out, r)
		}
	}
	return out
}

// helpURI is the advisory's first web reference, else its osv.dev page.
func helpURI(r Result) string {
	for _, ref := range r.References {
		if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
			return ref
		}
	}
	return "https://osv.dev/vulnerability/" + r.ID
}

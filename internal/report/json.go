package report

import (
	"io"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// jsonReport is the public JSON shape (schemaVersion 1.0.0), documented in
// docs/output.md.
type jsonReport struct {
	SchemaVersion string   `json:"schemaVersion"`
	Tool          jsonTool `json:"tool"`
	// Complete is false when the run did not check everything it was
	// asked to; the summary's incomplete field says why.
	Complete      bool           `json:"complete"`
	Summary       jsonSummary    `json:"summary"`
	Findings      []jsonFinding  `json:"findings"`
	Notifications []Notification `json:"notifications"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Findings   int            `json:"findings"`
	Suppressed int            `json:"suppressed"`
	BySeverity map[string]int `json:"bySeverity"`
	Gate       string         `json:"gate"`
	Failed     bool           `json:"failed"`
	// Incomplete says why the run is incomplete; absent when it is not.
	Incomplete string `json:"incomplete,omitempty"`
	// NotAssessed says what the vulnerability scanner could not assess.
	NotAssessed string `json:"notAssessed,omitempty"`
}

type jsonFinding struct {
	RuleID    string `json:"ruleId"`
	Severity  string `json:"severity"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	Fix       string `json:"fix,omitempty"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	// Offset and EndOffset are the range as byte offsets in the file, when
	// known.
	Offset      *int              `json:"offset,omitempty"`
	EndOffset   int               `json:"endOffset,omitempty"`
	HelpURI     string            `json:"helpUri,omitempty"`
	Fingerprint string            `json:"fingerprint"`
	Suppressed  *rule.Suppression `json:"suppressed,omitempty"`
	// Image locates a finding inside an image: image, layerDigest,
	// layerIndex (-1 for the configuration), instruction, path.
	Image *rule.ImageLocation `json:"image,omitempty"`
	// Related are weaker findings of other rules about the same problem,
	// folded into this one.
	Related []jsonRelated `json:"related,omitempty"`
	// Container locates a finding at a container or compose service.
	Container *rule.ContainerLocation `json:"container,omitempty"`
	// Vulnerability describes a vulnerability finding's package and fix.
	Vulnerability *jsonVuln `json:"vulnerability,omitempty"`
}

type jsonRelated struct {
	RuleID  string `json:"ruleId"`
	Message string `json:"message"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
}

type jsonVuln struct {
	Package       string   `json:"package"`
	Version       string   `json:"version"`
	SourcePackage string   `json:"sourcePackage,omitempty"`
	Aliases       []string `json:"aliases,omitempty"`
	FixState      string   `json:"fixState"`
	FixedVersion  string   `json:"fixedVersion,omitempty"`
	Score         float64  `json:"score,omitempty"`
	// SeverityFrom says where the severity came from when it is not the
	// advisory's own.
	SeverityFrom string `json:"severitySource,omitempty"`
	// GatesAs is the level an unknown severity gates as (unknown-severity:).
	GatesAs string `json:"gatesAs,omitempty"`
}

func writeJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		SchemaVersion: SchemaVersion,
		Tool:          jsonTool{Name: r.Tool, Version: r.Version},
		Findings:      make([]jsonFinding, 0, len(r.Findings)),
		Notifications: r.Notifications,
	}
	if out.Notifications == nil {
		out.Notifications = []Notification{}
	}
	out.Complete = r.Incomplete == ""
	out.Summary = jsonSummary{Files: len(r.Files), Suppressed: r.suppressed(), BySeverity: map[string]int{}, Gate: "none",
		Failed: r.Failing() > 0 || r.Incomplete != "", NotAssessed: r.NotAssessed, Incomplete: r.Incomplete}
	if r.Gate != 0 {
		out.Summary.Gate = r.Gate.String()
	}
	for s, n := range r.Counts() {
		out.Summary.BySeverity[s.String()] = n
		out.Summary.Findings += n
	}
	for _, f := range r.Findings {
		rg := f.Range.Normalized()
		jf := jsonFinding{
			RuleID: f.RuleID, Severity: f.Severity.String(), Title: r.findingTitle(f), Message: f.Message, Fix: f.Remedy,
			File: f.File, Line: rg.Line, Column: rg.Col, EndLine: rg.EndLine, EndColumn: rg.EndCol,
			Fingerprint: f.Fingerprint, Suppressed: f.Suppression, Image: f.Image, Container: f.Container,
		}
		for _, x := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{RuleID: x.RuleID, Message: x.Message, File: x.File, Line: x.Range.Line, Column: x.Range.Col})
		}
		if rg.EndOffset > 0 {
			off := rg.Offset
			jf.Offset, jf.EndOffset = &off, rg.EndOffset
		}
		if x, ok := r.ruleOf(f.RuleID); ok {
			jf.HelpURI = x.HelpURI()
		}
		if a := f.Vuln; a != nil {
			jf.HelpURI = a.HelpURI
			jf.Vulnerability = &jsonVuln{Package: a.Package, Version: a.Version, SourcePackage: f.Vuln.SourcePackage,
				Aliases: a.Aliases, FixState: a.FixState, FixedVersion: a.FixedVersion, Score: a.Score, SeverityFrom: a.SeverityFrom}
			if f.Severity == rule.Unknown {
				jf.Vulnerability.GatesAs = r.gateSeverity(f.Severity).String()
			}
		}
		out.Findings = append(out.Findings, jf)
	}
	return writeReportJSON(w, &out)
}

func (r *Report) ruleOf(id string) (*rule.Rule, bool) {
	if r.Rules == nil {
		return nil, false
	}
	return r.Rules.Get(id)
}

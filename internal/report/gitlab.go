package report

import (
	"encoding/json"
	"io"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// gitlabIssue is one entry of GitLab's code quality report (the Code
// Climate issue format GitLab reads from a job's
// artifacts:reports:codequality), shown in merge requests.
type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// gitlabSeverity maps shipshape's levels onto the code quality scale
// (info, minor, major, critical, blocker).
func gitlabSeverity(s rule.Severity) string {
	switch s {
	case rule.Critical:
		return "blocker"
	case rule.High, rule.Unknown:
		return "critical"
	case rule.Medium:
		return "major"
	case rule.Low:
		return "minor"
	}
	return "info"
}

// writeGitLab writes the unsuppressed findings as a code quality report:
// one JSON array, paths relative to the repository like SARIF's, image
// findings at the Dockerfile line or image/<path> as there.
func writeGitLab(w io.Writer, r *Report) error {
	out := []gitlabIssue{}
	for _, f := range r.Findings {
		if f.Suppression != nil {
			continue
		}
		rg := f.Range.Normalized()
		file := f.File
		if f.Image != nil {
			var line int
			file, line = r.imagePlace(f)
			rg.Line, rg.EndLine = line, line
		}
		if rg.Line < 1 {
			rg.Line, rg.EndLine = 1, 1
		}
		out = append(out, gitlabIssue{
			Description: f.RuleID + ": " + f.Message,
			CheckName:   f.RuleID,
			Fingerprint: f.Fingerprint,
			Severity:    gitlabSeverity(r.gateSeverity(f.Severity)),
			Location:    gitlabLocation{Path: repoURI(file), Lines: gitlabLines{Begin: rg.Line, End: rg.EndLine}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

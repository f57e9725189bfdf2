// Package report turns findings into the stable, versioned output formats:
// text for people, JSON, SARIF 2.1.0 and GitHub Actions annotations. The
// internal rule.Finding is kept separate from these public shapes so that
// the engine can change without breaking consumers.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// SchemaVersion is the version of the JSON output shape. It changes only
// when a field is removed or its meaning changes.
const SchemaVersion = "2.0.0"

// Formats lists the output formats the lint command accepts.
var Formats = []string{"text", "json", "sarif", "github", "gitlab"}

// Notification is a problem with the run itself (an unreadable file), as
// opposed to a finding in an input.
type Notification struct {
	File    string `json:"file,omitempty"`
	Message string `json:"message"`
	Level   string `json:"level"`
}

// Report is everything one run produced.
type Report struct {
	Tool    string
	Version string
	// Findings are the shown findings (after --severity), suppressed ones
	// included.
	Findings      []rule.Finding
	Notifications []Notification
	// Files are the inputs that were scanned.
	Files []string
	// Rules resolves IDs for titles and help links.
	Rules *rule.Registry
	// Gate is the --fail-on threshold; zero means "none".
	Gate rule.Severity
	// UnknownAs is the level vulnerabilities of unknown severity gate as
	// (config unknown-severity:); zero means high. They are still shown as
	// unknown.
	UnknownAs rule.Severity
	// NotAssessed says what the vulnerability scanner could not assess
	// ("no package database found"), so that an empty result never reads
	// as "no vulnerabilities"; empty when everything was assessed.
	NotAssessed string
	// Incomplete says why the run did not check everything it was asked
	// to (interrupted, unreadable inputs); "" when it did. An incomplete
	// report never says "pass" (docs/contract.md).
	Incomplete string
	// Color enables ANSI colour in text output.
	Color bool
	// ImageSource, when set, attaches image findings to the lines of the
	// Dockerfile that built the image (SARIF, GitHub annotations) instead
	// of to image/<path>.
	ImageSource *ImageSource
}

// ImageSource is the Dockerfile an image was built from, with the line of
// each history instruction (keyed by ImageLocation.Instruction; the ""
// key is the final stage's FROM line, used for everything unmatched).
type ImageSource struct {
	Dockerfile string
	Lines      map[string]int
}

// imagePlace returns the file and line an image finding is attached to in
// formats that need a source position (docs/contract.md): the Dockerfile line
// that produced the layer when known, else image/<path> at the line in the
// file the finding names (a secret's), else line 1.
func (r *Report) imagePlace(f rule.Finding) (string, int) {
	if r.ImageSource != nil && r.ImageSource.Dockerfile != "" {
		if n, ok := r.ImageSource.Lines[f.Image.Instruction]; ok && n > 0 && f.Image.Instruction != "" {
			return r.ImageSource.Dockerfile, n
		}
		if n := r.ImageSource.Lines[""]; n > 0 {
			return r.ImageSource.Dockerfile, n
		}
	}
	p := strings.TrimPrefix(f.Image.Path, "/")
	if p == "" {
		p = "config"
	}
	return "image/" + p, max(f.Image.Line, 1)
}

// Failing returns the unsuppressed findings at or above the gate.
func (r *Report) Failing() int {
	if r.Gate == 0 {
		return 0
	}
	n := 0
	for _, f := range r.Findings {
		if f.Suppression == nil && r.gateSeverity(f.Severity).AtLeast(r.Gate) {
			n++
		}
	}
	return n
}

// gateSeverity is the level a finding gates as: its own, or UnknownAs for
// unknown.
func (r *Report) gateSeverity(s rule.Severity) rule.Severity {
	if s == rule.Unknown && r.UnknownAs != 0 {
		return r.UnknownAs
	}
	return s
}

// Counts returns unsuppressed findings per severity.
func (r *Report) Counts() map[rule.Severity]int {
	m := map[rule.Severity]int{}
	for _, f := range r.Findings {
		if f.Suppression == nil {
			m[f.Severity]++
		}
	}
	return m
}

func (r *Report) suppressed() int {
	n := 0
	for _, f := range r.Findings {
		if f.Suppression != nil {
			n++
		}
	}
	return n
}

func (r *Report) title(id string) string {
	if r.Rules != nil {
		if x, ok := r.Rules.Get(id); ok {
			return x.Title
		}
	}
	return id
}

// findingTitle is the rule's title, or a vulnerability's advisory summary.
func (r *Report) findingTitle(f rule.Finding) string {
	if f.Vuln != nil && f.Vuln.Summary != "" {
		return f.Vuln.Summary
	}
	return r.title(f.RuleID)
}

// Write renders the report in a format. Findings that reach it without a
// fingerprint (built by a caller other than the engine) get one here, on a
// copy.
func Write(w io.Writer, format string, r *Report) error {
	r = r.withFingerprints()
	switch strings.ToLower(format) {
	case "text", "":
		return writeText(w, r)
	case "json":
		return writeJSON(w, r)
	case "sarif":
		return writeSARIF(w, r)
	case "github":
		return writeGitHub(w, r)
	case "gitlab":
		return writeGitLab(w, r)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// usedRules returns the rules referenced by findings, sorted by ID.
func (r *Report) usedRules() []*rule.Rule {
	seen := map[string]bool{}
	var out []*rule.Rule
	for _, f := range r.Findings {
		if seen[f.RuleID] || r.Rules == nil {
			continue
		}
		seen[f.RuleID] = true
		if x, ok := r.Rules.Get(f.RuleID); ok {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// withFingerprints returns r, or a copy whose findings all carry a
// fingerprint when some lack one.
func (r *Report) withFingerprints() *Report {
	missing := false
	for _, f := range r.Findings {
		missing = missing || f.Fingerprint == ""
	}
	if !missing {
		return r
	}
	c := *r
	c.Findings = append([]rule.Finding(nil), r.Findings...)
	rule.AssignFingerprints(c.Findings, repoURI)
	return &c
}

package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// SARIF 2.1.0 shapes, limited to what shipshape emits.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Results     []sarifResult     `json:"results"`
	Invocations []sarifInvocation `json:"invocations"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	SemanticVer    string      `json:"semanticVersion,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifRelated     `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

// sarifRelated is a related location: a weaker finding folded into the
// result, with its own rule and message.
type sarifRelated struct {
	ID               int           `json:"id"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          sarifText     `json:"message"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

func writeSARIF(w io.Writer, r *Report) error {
	rules := r.usedRules()
	index := map[string]int{}
	driver := sarifDriver{Name: r.Tool, Version: r.Version, InformationURI: "https://github.com/shipshape-sec/shipshape", Rules: []sarifRule{}}
	if v := strings.TrimPrefix(r.Version, "v"); v != "" && v[0] >= '0' && v[0] <= '9' {
		driver.SemanticVer = v
	}
	for i, x := range rules {
		index[x.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: x.ID, Name: toPascal(x.Slug),
			ShortDescription:     sarifText{Text: x.Title},
			FullDescription:      sarifText{Text: x.Rationale},
			Help:                 sarifText{Text: x.Fix, Markdown: helpMarkdown(x)},
			HelpURI:              x.HelpURI(),
			DefaultConfiguration: sarifConfig{Level: x.Severity.SARIFLevel()},
			Properties: map[string]any{
				"tags":              []string{"security", string(x.Category)},
				"precision":         "high",
				"security-severity": x.Severity.SecurityScore(),
				"problem.severity":  x.Severity.SARIFLevel(),
			},
		})
	}
	for _, f := range r.Findings {
		if f.Vuln == nil {
			continue
		}
		if _, ok := index[f.RuleID]; ok {
			continue
		}
		index[f.RuleID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, r.advisoryRule(f))
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		results = append(results, r.sarifResultOf(f, index[f.RuleID]))
	}
	inv := sarifInvocation{ExecutionSuccessful: r.Incomplete == ""}
	if r.Incomplete != "" && len(r.Notifications) == 0 {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "error", Message: sarifText{Text: "the run is incomplete: " + r.Incomplete}})
	}
	for _, n := range r.Notifications {
		inv.ExecutionSuccessful = false
		sn := sarifNotification{Level: "error", Message: sarifText{Text: n.Message}}
		if n.File != "" {
			sn.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: repoURI(n.File)}, Region: sarifRegion{StartLine: 1}}}}
		}
		inv.Notifications = append(inv.Notifications, sn)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results, Invocations: []sarifInvocation{inv}}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifResultOf is one finding as a SARIF result: its level, location
// (an image finding's place in the Dockerfile or image), related
// locations, fingerprint, suppression and properties.
func (r *Report) sarifResultOf(f rule.Finding, ruleIndex int) sarifResult {
	rg := f.Range.Normalized()
	if rg.Line < 1 {
		rg.Line, rg.EndLine = 1, 1
	}
	uri := repoURI(f.File)
	if f.Image != nil {
		file, line := r.imagePlace(f)
		uri, rg = repoURI(file), loc.Range{Line: line, EndLine: line}
	}
	res := sarifResult{
		RuleID: f.RuleID, RuleIndex: ruleIndex, Level: r.gateSeverity(f.Severity).SARIFLevel(),
		Message: sarifText{Text: f.Message},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: uri},
			Region:           sarifRegion{StartLine: rg.Line, StartColumn: rg.Col, EndLine: rg.EndLine, EndColumn: rg.EndCol},
		}}},
		PartialFingerprints: map[string]string{"shipshape/v2": f.Fingerprint},
		Properties:          map[string]any{"severity": f.Severity.String(), "security-severity": r.securityScore(f)},
	}
	if a := f.Vuln; a != nil {
		res.Properties["package"] = a.Package + "@" + a.Version
		if f.Vuln.SourcePackage != "" {
			res.Properties["sourcePackage"] = f.Vuln.SourcePackage
		}
		res.Properties["fixState"] = a.FixState
		if a.FixedVersion != "" {
			res.Properties["fixedVersion"] = a.FixedVersion
		}
	}
	if f.Image != nil {
		res.Properties["image"] = f.Image
	}
	for i, x := range f.Related {
		line := max(x.Range.Line, 1)
		res.RelatedLocations = append(res.RelatedLocations, sarifRelated{ID: i + 1,
			PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: repoURI(x.File)}, Region: sarifRegion{StartLine: line}},
			Message:          sarifText{Text: x.RuleID + ": " + x.Message}})
	}
	if rg.EndCol <= rg.Col {
		res.Locations[0].PhysicalLocation.Region.EndColumn = 0
	}
	if f.Suppression != nil {
		kind := "inSource"
		if f.Suppression.Kind == "config" || f.Suppression.Kind == "vex" || f.Suppression.Kind == "baseline" {
			kind = "external"
		}
		res.Suppressions = []sarifSuppression{{Kind: kind, Justification: f.Suppression.Justification}}
	}
	return res
}

// advisoryRule is the SARIF rules-table entry of a vulnerability
// finding's advisory, which is not a registry rule.
func (r *Report) advisoryRule(f rule.Finding) sarifRule {
	a := f.Vuln
	short := a.Summary
	if short == "" {
		short = f.RuleID + " in " + a.Package
	}
	help := "Upgrade the affected package to a fixed version, or record why it does not apply (.shipshapeignore.yaml, OpenVEX). See " + a.HelpURI
	level := r.gateSeverity(f.Severity).SARIFLevel()
	return sarifRule{
		ID: f.RuleID, Name: "Vulnerability",
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: short},
		Help:                 sarifText{Text: help, Markdown: fmt.Sprintf("**%s**: %s\n\n%s", f.RuleID, short, help)},
		HelpURI:              a.HelpURI,
		DefaultConfiguration: sarifConfig{Level: level},
		Properties: map[string]any{
			"tags":              []string{"security", "vulnerability"},
			"precision":         "very-high",
			"security-severity": r.securityScore(f),
			"problem.severity":  level,
		},
	}
}

// securityScore is the numeric security-severity of a finding: the CVSS
// base score of a vulnerability when known, else its level's.
func (r *Report) securityScore(f rule.Finding) string {
	if f.Vuln != nil && f.Vuln.Score > 0 {
		return strconv.FormatFloat(f.Vuln.Score, 'f', 1, 64)
	}
	return r.gateSeverity(f.Severity).SecurityScore()
}

// repoURI makes a path relative to the working directory with forward
// slashes, the form code-scanning services resolve against the repository.
func repoURI(p string) string {
	if p == "" || p == "-" {
		return "stdin"
	}
	if filepath.IsAbs(p) {
		if wd, err := filepath.Abs("."); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	p = filepath.ToSlash(filepath.Clean(p))
	return strings.TrimPrefix(p, "./")
}

func toPascal(slug string) string {
	var b strings.Builder
	for _, part := range strings.Split(slug, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func helpMarkdown(x *rule.Rule) string {
	var b strings.Builder
	b.WriteString(x.Rationale + "\n\n**Fix:** " + x.Fix + "\n\n")
	b.WriteString("Bad:\n```dockerfile\n" + x.Bad + "\n```\nGood:\n```dockerfile\n" + x.Good + "\n```\n")
	return b.String()
}

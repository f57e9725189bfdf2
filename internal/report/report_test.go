package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testRule returns a complete rule value; the golden files use their own
// rules so that they do not change when the real catalogue does.
func testRule(id, slug, title string, sev rule.Severity, cat rule.Category) *rule.Rule {
	return &rule.Rule{
		ID: id, Slug: slug, Title: title, Severity: sev, Category: cat,
		Rationale:  "Rationale for " + title + ", long enough to satisfy the registry's validation.",
		Fix:        "Fix " + strings.ToLower(title) + ". Then rebuild.",
		Bad:        "FROM alpine\nRUN bad",
		Good:       "FROM alpine:3.20\nRUN good",
		Peers:      []rule.Peer{{Tool: "hadolint", ID: "DL0000"}},
		References: []string{"https://docs.docker.com/reference/dockerfile/"},
		Check:      func(*rule.Pass) error { return nil },
	}
}

func testRegistry(t *testing.T) *rule.Registry {
	t.Helper()
	reg, err := rule.NewRegistry(
		testRule("DF1990", "critical-thing", "Critical thing", rule.Critical, rule.CatSecrets),
		testRule("DF1991", "high-thing", "High thing", rule.High, rule.CatUser),
		testRule("DF1992", "medium-thing", "Medium thing", rule.Medium, rule.CatCache),
		testRule("DF1993", "low-thing", "Low thing", rule.Low, rule.CatLean),
		testRule("DF1994", "info-thing", "Info thing", rule.Info, rule.CatCorrectness),
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// sampleReport covers every severity, a column range, a whole-line
// finding, a suppressed finding with its justification, a message needing
// escaping in workflow commands, and a notification.
func sampleReport(t *testing.T) *report.Report {
	fs := []rule.Finding{
		{RuleID: "DF1990", Severity: rule.Critical, Message: "secret-looking value in ENV API_TOKEN", Remedy: "Use a build secret.", Snippet: "ENV API_TOKEN=abc", Location: rule.Location{File: "Dockerfile", Range: loc.Range{Line: 4, Col: 5, EndLine: 4, EndCol: 14}}},
		{RuleID: "DF1991", Severity: rule.High, Message: "final stage runs as root", Remedy: "Add a USER.", Snippet: "FROM alpine:3.20", Location: rule.Location{File: "Dockerfile", Range: loc.Range{Line: 1, Col: 1, EndLine: 1, EndCol: 5}}},
		{RuleID: "DF1992", Severity: rule.Medium, Message: "50% of the layer, a: b, c\nsecond line", Remedy: "Clean up.", Snippet: "RUN apt-get update", Location: rule.Location{File: "svc/api.Dockerfile", Range: loc.Line(7)}},
		{RuleID: "DF1993", Severity: rule.Low, Message: "apk add without --no-cache", Remedy: "Add --no-cache.", Snippet: "RUN apk add curl", Suppression: &rule.Suppression{Kind: "inline", Justification: "cache is removed in the next stage", Line: 8}, Location: rule.Location{File: "svc/api.Dockerfile", Range: loc.Range{Line: 9, Col: 5, EndLine: 11}}},
		{RuleID: "DF1994", Severity: rule.Info, Message: "two RUNs could be one", Snippet: "RUN a", Location: rule.Location{File: "svc/api.Dockerfile", Range: loc.Range{Line: 12, Col: 1, EndLine: 12, EndCol: 4}}},
	}
	return &report.Report{
		Tool: "shipshape", Version: "v1.2.3", Findings: fs,
		Files:         []string{"Dockerfile", "svc/api.Dockerfile"},
		Notifications: []report.Notification{{File: "broken/Dockerfile", Message: "permission denied", Level: "error"}},
		Rules:         testRegistry(t), Gate: rule.High,
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./internal/report -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	for _, c := range []struct{ format, file string }{
		{"text", "sample.txt"}, {"json", "sample.json"}, {"sarif", "sample.sarif"}, {"github", "sample.github"},
	} {
		t.Run(c.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.Write(&buf, c.format, sampleReport(t)); err != nil {
				t.Fatal(err)
			}
			if c.format == "text" && strings.Contains(buf.String(), "\x1b[") {
				t.Error("text output has ANSI escapes with Color off")
			}
			golden(t, c.file, buf.Bytes())
		})
	}
}

func TestEmptyReport(t *testing.T) {
	r := &report.Report{Tool: "shipshape", Version: "dev", Files: []string{"Dockerfile"}, Gate: rule.High}
	for _, format := range report.Formats {
		var buf bytes.Buffer
		if err := report.Write(&buf, format, r); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if format == "json" || format == "sarif" {
			var v map[string]any
			if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if format == "json" {
				if f, ok := v["findings"].([]any); !ok || len(f) != 0 {
					t.Errorf("json: findings must be an empty array, got %v", v["findings"])
				}
			}
			if format == "sarif" {
				validateSARIF(t, buf.Bytes())
			}
		}
	}
	if err := report.Write(&bytes.Buffer{}, "xml", r); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, "json", sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	var j struct {
		SchemaVersion string `json:"schemaVersion"`
		Summary       struct {
			Files      int            `json:"files"`
			Findings   int            `json:"findings"`
			Suppressed int            `json:"suppressed"`
			BySeverity map[string]int `json:"bySeverity"`
			Gate       string         `json:"gate"`
			Failed     bool           `json:"failed"`
		} `json:"summary"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.SchemaVersion != report.SchemaVersion || report.SchemaVersion != "2.0.0" {
		t.Errorf("schemaVersion %q", j.SchemaVersion)
	}
	s := j.Summary
	if s.Files != 2 || s.Findings != 4 || s.Suppressed != 1 || s.Gate != "high" || !s.Failed {
		t.Errorf("summary %+v", s)
	}
	if s.BySeverity["low"] != 0 || s.BySeverity["critical"] != 1 {
		t.Errorf("bySeverity counts suppressed findings or misses some: %v", s.BySeverity)
	}
	for _, f := range j.Findings {
		for _, k := range []string{"ruleId", "severity", "title", "message", "file", "line", "fingerprint", "helpUri"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %v lacks %s", f["ruleId"], k)
			}
		}
	}
}

// sharedDir finds the shared folder (docs/contract.md): SHIPSHAPE_SHARED, else
// ../shared beside the module root; skip only when absent and CI unset.
func sharedDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("SHIPSHAPE_SHARED"); d != "" {
		return d
	}
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(d); err == nil {
				return d
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("CI") != "" {
		t.Fatal("shared folder not found: set SHIPSHAPE_SHARED")
	}
	t.Skip("shared folder not found (set SHIPSHAPE_SHARED); skipping schema validation")
	return ""
}

func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	schemaPath := filepath.Join(sharedDir(t), "schemas", "sarif-schema-2.1.0.json")
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

// sarifDoc is the part of a SARIF log the checks read.
type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string                `json:"id"`
					Name                 string                `json:"name"`
					ShortDescription     struct{ Text string } `json:"shortDescription"`
					FullDescription      struct{ Text string } `json:"fullDescription"`
					Help                 struct{ Text, Markdown string }
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
						EndColumn   int `json:"endColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful bool              `json:"executionSuccessful"`
			Notifications       []json.RawMessage `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

// checkSARIF asserts the contract's SARIF requirements on any log.
func checkSARIF(t *testing.T, doc []byte, reg *rule.Registry) sarifDoc {
	t.Helper()
	validateSARIF(t, doc)
	var s sarifDoc
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	if s.Version != "2.1.0" || len(s.Runs) != 1 {
		t.Fatalf("version %q, %d runs", s.Version, len(s.Runs))
	}
	run := s.Runs[0]
	levels := map[rule.Severity]string{rule.Critical: "error", rule.High: "error", rule.Medium: "warning", rule.Low: "note", rule.Info: "note", rule.Unknown: "error"}
	for _, r := range run.Tool.Driver.Rules {
		x, ok := reg.Get(r.ID)
		if !ok && r.Name == "Vulnerability" {
			// An advisory's entry: described by the advisory itself.
			if r.ShortDescription.Text == "" || r.Help.Text == "" || !strings.HasPrefix(r.HelpURI, "https://") {
				t.Errorf("%s: incomplete advisory rule metadata %+v", r.ID, r)
			}
			if _, ok := r.Properties["security-severity"].(string); !ok {
				t.Errorf("%s: properties.security-severity missing or not a string: %v", r.ID, r.Properties)
			}
			continue
		}
		if !ok {
			t.Errorf("SARIF rule %s is not in the registry", r.ID)
			continue
		}
		if r.HelpURI != "https://github.com/shipshape-sec/shipshape/blob/main/docs/rules/"+r.ID+".md" {
			t.Errorf("%s helpUri %q", r.ID, r.HelpURI)
		}
		if r.ShortDescription.Text != x.Title || r.FullDescription.Text == "" || r.Help.Text == "" || r.Name == "" {
			t.Errorf("%s: incomplete rule metadata %+v", r.ID, r)
		}
		if r.DefaultConfiguration.Level != levels[x.Severity] {
			t.Errorf("%s: defaultConfiguration.level %q, want %q", r.ID, r.DefaultConfiguration.Level, levels[x.Severity])
		}
		if _, ok := r.Properties["security-severity"].(string); !ok {
			t.Errorf("%s: properties.security-severity missing or not a string: %v", r.ID, r.Properties)
		}
	}
	for i, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d does not point at %s", i, res.RuleIndex, res.RuleID)
		}
		sev, _ := rule.ParseSeverity(res.Properties["severity"].(string))
		if res.Level != levels[sev] {
			t.Errorf("result %d (%s, %s): level %q, want %q", i, res.RuleID, sev, res.Level, levels[sev])
		}
		if _, ok := res.Properties["security-severity"].(string); !ok {
			t.Errorf("result %d: properties.security-severity missing", i)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		pl := res.Locations[0].PhysicalLocation
		if pl.Region.StartLine < 1 {
			t.Errorf("result %d: region.startLine %d", i, pl.Region.StartLine)
		}
		if u := pl.ArtifactLocation.URI; u == "" || strings.HasPrefix(u, "/") || strings.HasPrefix(u, "./") || strings.Contains(u, "\\") || strings.Contains(u, "..") || strings.Contains(u, "://") {
			t.Errorf("result %d: uri %q is not repository-relative", i, u)
		}
		if pl.Region.EndColumn != 0 && pl.Region.EndColumn <= pl.Region.StartColumn {
			t.Errorf("result %d: endColumn %d not after startColumn %d", i, pl.Region.EndColumn, pl.Region.StartColumn)
		}
		if fp := res.PartialFingerprints["shipshape/v2"]; len(fp) != 32 {
			t.Errorf("result %d: partialFingerprints %v", i, res.PartialFingerprints)
		}
	}
	return s
}

func TestSARIF(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", rep); err != nil {
		t.Fatal(err)
	}
	s := checkSARIF(t, buf.Bytes(), rep.Rules)
	run := s.Runs[0]
	if len(run.Results) != len(rep.Findings) {
		t.Fatalf("%d results for %d findings: suppressed findings must stay in SARIF", len(run.Results), len(rep.Findings))
	}
	if len(run.Tool.Driver.Rules) != 5 {
		t.Errorf("want the 5 rules used, got %d", len(run.Tool.Driver.Rules))
	}
	var suppressed int
	for _, res := range run.Results {
		if res.RuleID == "DF1993" {
			if len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "inSource" || res.Suppressions[0].Justification != "cache is removed in the next stage" {
				t.Errorf("suppression %+v", res.Suppressions)
			}
			suppressed++
		} else if len(res.Suppressions) != 0 {
			t.Errorf("%s has suppressions %+v", res.RuleID, res.Suppressions)
		}
	}
	if suppressed != 1 {
		t.Error("suppressed finding missing")
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.Notifications) != 1 {
		t.Errorf("invocation %+v: a notification means the run was not fully successful", inv)
	}
	// Fingerprints are stable when the finding moves to another line.
	moved := sampleReport(t)
	for i := range moved.Findings {
		moved.Findings[i].Range.Line += 10
		moved.Findings[i].Range.EndLine += 10
	}
	rel := func(s string) string { return s }
	rule.AssignFingerprints(rep.Findings, rel)
	rule.AssignFingerprints(moved.Findings, rel)
	for i := range rep.Findings {
		if rep.Findings[i].Fingerprint == "" || rep.Findings[i].Fingerprint != moved.Findings[i].Fingerprint {
			t.Errorf("%s: fingerprint %q changes with the line (%q)", rep.Findings[i].RuleID, rep.Findings[i].Fingerprint, moved.Findings[i].Fingerprint)
		}
	}
}

func TestSARIFConfigSuppressionIsExternal(t *testing.T) {
	rep := sampleReport(t)
	rep.Findings[3].Suppression = &rule.Suppression{Kind: "config", Justification: "accepted risk"}
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", rep); err != nil {
		t.Fatal(err)
	}
	s := checkSARIF(t, buf.Bytes(), rep.Rules)
	for _, res := range s.Runs[0].Results {
		if res.RuleID == "DF1993" && (len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "external") {
			t.Errorf("config suppression: %+v", res.Suppressions)
		}
	}
}

func TestSARIFAbsolutePathsBecomeRelative(t *testing.T) {
	rep := sampleReport(t)
	wd, _ := os.Getwd()
	rep.Findings[0].File = filepath.Join(wd, "testdata", "x", "Dockerfile")
	rep.Findings[1].File = "./svc/../Dockerfile"
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", rep); err != nil {
		t.Fatal(err)
	}
	s := checkSARIF(t, buf.Bytes(), rep.Rules)
	uris := map[string]bool{}
	for _, res := range s.Runs[0].Results {
		uris[res.Locations[0].PhysicalLocation.ArtifactLocation.URI] = true
	}
	for _, want := range []string{"testdata/x/Dockerfile", "Dockerfile"} {
		if !uris[want] {
			t.Errorf("uri %q missing from %v", want, uris)
		}
	}
}

// TestSARIFFromEngine validates SARIF produced by the real engine and rule
// catalogue over the CLI fixtures, including a justified suppression, run
// from the module root as CI does so that URIs are repository-relative.
func TestSARIFFromEngine(t *testing.T) {
	shared := sharedDir(t)
	t.Setenv("SHIPSHAPE_SHARED", shared)
	t.Chdir(filepath.Join("..", ".."))
	reg, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Lint(context.Background(), engine.LintOptions{
		Paths: []string{"internal/cli/testdata"}, Rules: reg, Configs: config.NewFinder(reg),
		Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	})
	if res.InputErrors != 0 || len(res.Findings) == 0 {
		t.Fatalf("lint: %d input errors, %d findings: %+v", res.InputErrors, len(res.Findings), res.Notifications)
	}
	rep := &report.Report{Tool: "shipshape", Version: "dev", Findings: res.Findings, Files: res.Files, Rules: reg, Gate: rule.High}
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", rep); err != nil {
		t.Fatal(err)
	}
	s := checkSARIF(t, buf.Bytes(), reg)
	if len(s.Runs[0].Results) != len(res.Findings) {
		t.Errorf("%d results for %d findings", len(s.Runs[0].Results), len(res.Findings))
	}
	for _, r := range s.Runs[0].Results {
		if u := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(u, "internal/cli/testdata/") {
			t.Errorf("uri %q is not relative to the repository root", u)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, "github", sampleReport(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// 4 unsuppressed findings and one notification, one line each.
	if len(lines) != 5 {
		t.Fatalf("want 5 workflow commands, got %d:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("not a workflow command: %q", l)
		}
	}
	if !strings.Contains(out, "50%25 of the layer, a: b, c%0Asecond line") {
		t.Errorf("message not escaped:\n%s", out)
	}
	if strings.Contains(out, "apk add without") {
		t.Error("suppressed finding annotated")
	}
}

// vulnReport is a report of two vulnerability findings: one with a CVSS
// score, one without severity data, suppressed by VEX.
func vulnReport(t *testing.T) *report.Report {
	rep := sampleReport(t)
	rep.Findings = []rule.Finding{
		{RuleID: "CVE-2023-0001", Severity: rule.High, Message: "libssl3 (source openssl) 3.0.9-1 is affected by CVE-2023-0001 (fixed in 3.0.11-1)", Remedy: "upgrade libssl3 to 3.0.11-1 or later", Vuln: &rule.Vulnerability{SourcePackage: "openssl", Summary: "openssl: a bug", HelpURI: "https://security-tracker.debian.org/tracker/CVE-2023-0001",
			Score: 7.5, Package: "libssl3", Version: "3.0.9-1", FixState: "fixed", FixedVersion: "3.0.11-1"}, Location: rule.Location{File: "app.tar", Image: &rule.ImageLocation{Image: "app.tar", LayerIndex: 1, LayerDigest: "sha256:abc", Path: "/var/lib/dpkg/status"}}},
		{RuleID: "GO-2023-0002", Severity: rule.Unknown, Message: "golang.org/x/net v0.1.0 is affected by GO-2023-0002 (no fix yet)", Vuln: &rule.Vulnerability{HelpURI: "https://osv.dev/vulnerability/GO-2023-0002",
			Package: "golang.org/x/net", Version: "v0.1.0", FixState: "not-fixed"}, Location: rule.Location{File: "app.cdx.json"}},
		{RuleID: "CVE-2023-0003", Severity: rule.Low, Message: "busybox 1.0 is affected by CVE-2023-0003", Suppression: &rule.Suppression{Kind: "vex", Justification: "not affected (VEX)"}, Vuln: &rule.Vulnerability{HelpURI: "https://osv.dev/vulnerability/CVE-2023-0003", Package: "busybox", Version: "1.0", FixState: "not-affected"}, Location: rule.Location{File: "app.tar", Image: &rule.ImageLocation{Image: "app.tar", LayerIndex: 0, Path: "/lib/apk/db/installed"}}},
	}
	rep.Notifications = nil
	rep.Gate = rule.High
	return rep
}

func TestSARIFVulnerabilityRules(t *testing.T) {
	rep := vulnReport(t)
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", rep); err != nil {
		t.Fatal(err)
	}
	s := checkSARIF(t, buf.Bytes(), rep.Rules)
	rules := map[string]int{}
	for i, r := range s.Runs[0].Tool.Driver.Rules {
		rules[r.ID] = i
	}
	if len(rules) != 3 {
		t.Fatalf("want a rule entry per advisory, got %v", rules)
	}
	r := s.Runs[0].Tool.Driver.Rules[rules["CVE-2023-0001"]]
	if r.ShortDescription.Text != "openssl: a bug" || r.HelpURI != "https://security-tracker.debian.org/tracker/CVE-2023-0001" ||
		r.Properties["security-severity"] != "7.5" {
		t.Errorf("CVE rule: %+v", r)
	}
	r = s.Runs[0].Tool.Driver.Rules[rules["GO-2023-0002"]]
	if r.HelpURI != "https://osv.dev/vulnerability/GO-2023-0002" || r.ShortDescription.Text == "" || r.Properties["security-severity"] != "8.0" {
		t.Errorf("GO rule: %+v", r)
	}
	for _, res := range s.Runs[0].Results {
		switch res.RuleID {
		case "CVE-2023-0003":
			if len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "external" {
				t.Errorf("VEX suppression: %+v", res.Suppressions)
			}
		case "CVE-2023-0001":
			if res.Properties["security-severity"] != "7.5" || res.Properties["package"] != "libssl3@3.0.9-1" || res.Properties["sourcePackage"] != "openssl" {
				t.Errorf("result properties: %v", res.Properties)
			}
		case "GO-2023-0002":
			if uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "app.cdx.json" {
				t.Errorf("SBOM finding uri %q", uri)
			}
		}
	}
}

func TestVulnerabilityText(t *testing.T) {
	rep := vulnReport(t)
	var buf bytes.Buffer
	if err := report.Write(&buf, "text", rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"libssl3@3.0.9-1 app.tar@layer 1 /var/lib/dpkg/status  high",
		"golang.org/x/net@v0.1.0 app.cdx.json  unknown",
		"2 findings (1 high, 1 unknown), 1 suppressed; FAIL: 2 at or above high",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "(config)") {
		t.Errorf("vulnerability findings shown as config findings:\n%s", out)
	}
	buf.Reset()
	rep.UnknownAs = rule.Low
	if err := report.Write(&buf, "github", rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "::notice file=app.cdx.json,line=1,endLine=1,title=GO-2023-0002") {
		t.Errorf("github annotation of an SBOM finding gating as low:\n%s", buf.String())
	}
}

func TestUnknownSeverityGate(t *testing.T) {
	rep := vulnReport(t)
	rep.Findings = rep.Findings[1:2] // the unknown one
	if rep.Failing() != 1 {
		t.Errorf("unknown must gate as high by default")
	}
	rep.UnknownAs = rule.Low
	if rep.Failing() != 0 {
		t.Errorf("unknown-severity: low still fails a high gate")
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", rep); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	if !strings.Contains(buf.String(), `"level": "note"`) || !strings.Contains(buf.String(), `"severity": "unknown"`) {
		t.Errorf("unknown gating as low: want level note, severity unknown:\n%s", buf.String())
	}
	buf.Reset()
	if err := report.Write(&buf, "json", rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"gatesAs": "low"`) || !strings.Contains(buf.String(), `"severity": "unknown"`) {
		t.Errorf("JSON:\n%s", buf.String())
	}
	rep.UnknownAs = rule.Critical
	rep.Gate = rule.Critical
	if rep.Failing() != 1 {
		t.Errorf("unknown-severity: critical does not fail a critical gate")
	}
}

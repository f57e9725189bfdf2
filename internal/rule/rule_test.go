package rule

import (
	"errors"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

func testRule(id string, check func(*Pass) error, peers ...Peer) *Rule {
	return &Rule{
		ID: id, Slug: "test-rule", Title: "A test rule", Severity: High, Category: CatMeta,
		Rationale: "This rationale is long enough to satisfy the registry validation.",
		Fix:       "Do the right thing.", Bad: "FROM x", Good: "FROM y",
		References: []string{"https://example.com"}, Peers: peers, Check: check,
	}
}

func TestRunRecoversPanics(t *testing.T) {
	r := testRule("DF1999", func(p *Pass) error {
		p.Reportf(loc.Line(2), "before the crash")
		var m map[string]int
		m["boom"]++ // nil map write panics
		return nil
	})
	got := Run(&Pass{Rule: r, File: "Dockerfile", Lines: []string{"FROM alpine", "RUN true"}})
	if len(got) != 2 {
		t.Fatalf("want the finding made before the panic plus the crash finding, got %v", got)
	}
	if got[1].RuleID != "DF1999" || got[1].Severity != High || !strings.Contains(got[1].Message, "crashed") || got[1].File != "Dockerfile" {
		t.Fatalf("crash finding = %+v", got[1])
	}
}

func TestRunReportsCheckErrors(t *testing.T) {
	r := testRule("DF1998", func(*Pass) error { return errors.New("no data") })
	got := Run(&Pass{Rule: r})
	if len(got) != 1 || !strings.Contains(got[0].Message, "could not run: no data") {
		t.Fatalf("got %+v", got)
	}
}

func TestRegistryValidation(t *testing.T) {
	ok := testRule("DF1001", func(*Pass) error { return nil })
	if _, err := NewRegistry(ok); err != nil {
		t.Fatal(err)
	}
	bad := testRule("XX1", nil)
	bad.Title = "Ends with a period."
	_, err := NewRegistry(bad)
	for _, want := range []string{"id must", "title must", "check function"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want error mentioning %q, got %v", want, err)
		}
	}
	if _, err := NewRegistry(ok, ok); err == nil || !strings.Contains(err.Error(), "duplicate") && !strings.Contains(err.Error(), "sorted") {
		t.Errorf("duplicate ids accepted: %v", err)
	}
}

// TestLevels: a rule declares the other severities its findings carry;
// one equal to the rule's own, or without a case, is refused.
func TestLevels(t *testing.T) {
	r := testRule("DF1001", func(*Pass) error { return nil })
	r.Levels = []Level{{Severity: Low, When: "when the port is bound to one address"}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if !r.Allows(High) || !r.Allows(Low) || r.Allows(Medium) || r.Allows(Critical) {
		t.Errorf("Allows: high %v low %v medium %v critical %v", r.Allows(High), r.Allows(Low), r.Allows(Medium), r.Allows(Critical))
	}
	for _, l := range []Level{{Severity: High, When: "same as the rule"}, {Severity: Low}, {Severity: Unknown, When: "x"}} {
		r.Levels = []Level{l}
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "level") {
			t.Errorf("level %+v accepted: %v", l, err)
		}
	}
}

func TestParsePragma(t *testing.T) {
	cases := []struct {
		text    string
		tool    string
		scope   PragmaScope
		ids     string
		problem bool
	}{
		{"shipshape ignore=DF1103 -- needs root", "shipshape", ScopeNext, "DF1103", false},
		{"shipshape ignore=DF1103,DF1104 -- two", "shipshape", ScopeNext, "DF1103,DF1104", false},
		{"shipshape file-ignore=DF1201 -- pinned elsewhere", "shipshape", ScopeFile, "DF1201", false},
		{"shipshape ignore=DF1103", "shipshape", ScopeNext, "DF1103", true},
		{"shipshape ignore=DF1103 --", "shipshape", ScopeNext, "DF1103", true},
		{"hadolint ignore=DL3008,DL3009", "hadolint", ScopeNext, "DL3008,DL3009", false},
		{"hadolint global ignore=DL3008", "hadolint", ScopeFile, "DL3008", false},
		{"hadolint stage ignore=DL3006", "hadolint", ScopeStage, "DL3006", false},
		{"hadolint   stage\tignore = DL3006 , SC2086 # base image is ours", "hadolint", ScopeStage, "DL3006,SC2086", false},
		{"hadolint global ignore = DL3023 , DL3021", "hadolint", ScopeFile, "DL3023,DL3021", false},
		// Comments hadolint does not read as pragmas: reported, never honoured.
		{"hadolint ignore DL3008", "hadolint", ScopeNext, "", true},
		{"hadolint stage-ignore=DL3008", "hadolint", ScopeNext, "", true},
		{"hadolint ignore=", "hadolint", ScopeNext, "", true},
		{"hadolint ignore=DF1505", "hadolint", ScopeNext, "DF1505", true},
		{"hadolint ignore=DL3008 DL3009", "hadolint", ScopeNext, "DL3008 DL3009", true},
		{"hadolint ignore=dl3008", "hadolint", ScopeNext, "dl3008", true},
		{"trivy:ignore:DS-0002", "trivy", ScopeNext, "DS-0002", false},
		{"checkov:skip=CKV_DOCKER_3:no user needed", "checkov", ScopeFile, "CKV_DOCKER_3", false},
		{"check=skip=JSONArgsRecommended,StageNameCasing", "buildkit", ScopeFile, "JSONArgsRecommended,StageNameCasing", false},
		{"check=error=true;skip=all", "buildkit", ScopeFile, "all", false},
	}
	for _, c := range cases {
		p, ok := ParsePragma(c.text, 3)
		if !ok {
			t.Errorf("%q: not recognised", c.text)
			continue
		}
		if p.Tool != c.tool || p.Scope != c.scope || strings.Join(p.IDs, ",") != c.ids || (p.Problem != "") != c.problem {
			t.Errorf("%q: got %+v", c.text, p)
		}
	}
	for _, text := range []string{"just a comment", "check this out", "hadolint is nice", "hadolint shell=powershell"} {
		if _, ok := ParsePragma(text, 1); ok {
			t.Errorf("%q: recognised as a pragma", text)
		}
	}
}

func TestSuppress(t *testing.T) {
	r := testRule("DF1101", func(*Pass) error { return nil }, Peer{Tool: "hadolint", ID: "DL3002"}, Peer{Tool: "trivy", ID: "DS-0002"})
	reg := MustRegistry(r)
	fs := []Finding{
		{RuleID: "DF1101", Location: Location{Range: loc.Line(5)}},
		{RuleID: "DF1101", Location: Location{Range: loc.Line(9)}},
		{RuleID: "DF1101", Location: Location{Range: loc.Line(12)}},
	}
	pragmas := []Pragma{
		{Tool: "hadolint", Scope: ScopeNext, IDs: []string{"DL3002"}, Line: 4, Target: loc.Range{Line: 5, EndLine: 6}, Reason: "hadolint pragma"},
		{Tool: "trivy", Scope: ScopeNext, IDs: []string{"DS002"}, Line: 8, Target: loc.Range{Line: 9}, Reason: "trivy pragma"},
		{Tool: "shipshape", Scope: ScopeNext, IDs: []string{"DF1101"}, Line: 20, Target: loc.Range{Line: 21}, Reason: "unused"},
		{Tool: "shipshape", Scope: ScopeNext, IDs: []string{"DF1101"}, Line: 11, Target: loc.Range{Line: 12}, Problem: "has no reason"},
	}
	unused := Suppress(fs, pragmas, reg, nil)
	if fs[0].Suppression == nil || fs[0].Suppression.Kind != "hadolint" {
		t.Errorf("hadolint pragma did not apply: %+v", fs[0])
	}
	if fs[1].Suppression == nil || fs[1].Suppression.Kind != "trivy" {
		t.Errorf("trivy DS002 spelling did not map to DS-0002: %+v", fs[1])
	}
	if fs[2].Suppression != nil {
		t.Errorf("a pragma without a reason must not suppress: %+v", fs[2])
	}
	if len(unused) != 1 || unused[0].Line != 20 {
		t.Errorf("unused = %+v", unused)
	}
}

func TestSeverity(t *testing.T) {
	if !Unknown.AtLeast(High) || Unknown.AtLeast(Critical) {
		t.Error("unknown must gate as high")
	}
	if s, err := ParseSeverity(" Medium "); err != nil || s != Medium {
		t.Errorf("ParseSeverity: %v %v", s, err)
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("accepted an unknown severity")
	}
	for s, lvl := range map[Severity]string{Critical: "error", High: "error", Medium: "warning", Low: "note", Info: "note"} {
		if s.SARIFLevel() != lvl {
			t.Errorf("%s → %s, want %s", s, s.SARIFLevel(), lvl)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	cases := map[string]string{
		"Add a HEALTHCHECK that exercises the service, e.g.\n```\nHEALTHCHECK CMD true\n```": "Add a HEALTHCHECK that exercises the service.",
		"Copy the manifests first: `COPY . .` comes last. Then more.":                        "Copy the manifests first: `COPY . .` comes last.",
		"Use an absolute path, e.g. `/app`. Relative ones depend on the base.":               "Use an absolute path, e.g. `/app`.",
		"Pin the image (see docs.docker.com). Then rebuild.":                                 "Pin the image (see docs.docker.com).",
		"No period at all": "No period at all",
	}
	for in, want := range cases {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

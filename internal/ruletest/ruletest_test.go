package ruletest

import (
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

func TestWantSeverity(t *testing.T) {
	src := "# want DF1100 \"root\" severity=low\nFROM alpine\n# want DF1201 \"digest\"\nFROM debian\n"
	wants, err := DockerfileWants(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(wants) != 2 || wants[0].Severity != "low" || wants[0].Line != 2 || wants[1].Severity != "" {
		t.Fatalf("wants = %+v", wants)
	}
	at := func(id string, sev rule.Severity, line int, msg string) rule.Finding {
		return rule.Finding{RuleID: id, Severity: sev, Message: msg, Location: rule.Location{Range: loc.Line(line)}}
	}
	if probs := Compare("DF1100", wants, []rule.Finding{at("DF1100", rule.Low, 2, "runs as root")}); len(probs) != 0 {
		t.Errorf("matching level: %v", probs)
	}
	probs := Compare("DF1100", wants, []rule.Finding{at("DF1100", rule.High, 2, "runs as root")})
	if len(probs) != 2 || !strings.Contains(probs[0], "at low") || !strings.Contains(probs[0], `high "runs as root"`) {
		t.Errorf("other level: %v", probs)
	}
	if probs := Compare("DF1201", wants, []rule.Finding{at("DF1201", rule.Info, 4, "no digest")}); len(probs) != 0 {
		t.Errorf("no level asked: %v", probs)
	}
	if _, err := DockerfileWants("# want DF1100 \"x\" severity=severe\nFROM a\n"); err == nil {
		t.Error("unknown level accepted")
	}
	ys, err := YAMLWants("services:  # want RT1001 \"a\" severity=high\n")
	if err != nil || len(ys) != 1 || ys[0].Severity != "high" {
		t.Errorf("YAML wants = %+v, %v", ys, err)
	}
}

func TestSeverityDocumented(t *testing.T) {
	r := &rule.Rule{ID: "DF9999", Severity: rule.High,
		Rationale: "Root is dangerous. A base image is reported at low severity, a dev container at info. It has a high cost.",
		Settings:  []rule.Setting{{Name: "gate", Doc: "fail (severity medium) above this size"}}}
	for sev, want := range map[rule.Severity]bool{
		rule.High: true, rule.Low: true, rule.Info: true, rule.Medium: true,
		// "critical" is never named; "high" in a sentence without the word
		// severity would not document it either.
		rule.Critical: false,
	} {
		if got := SeverityDocumented(r, sev); got != want {
			t.Errorf("SeverityDocumented(%s) = %v, want %v", sev, got, want)
		}
	}
	r.Severity = rule.Medium
	if SeverityDocumented(r, rule.High) {
		t.Error("a level named only outside a sentence about severity counts as documented")
	}
}

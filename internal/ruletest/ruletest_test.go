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

package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaselineReportsOnlyNewFindings: a baseline written today accepts
// today's findings (exit 0 under the gate, kept as suppressed in JSON);
// a finding added later is new and fails; lines moving above an accepted
// finding do not make it new; a schema 1.x report is refused.
func TestBaselineReportsOnlyNewFindings(t *testing.T) {
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	os.WriteFile(df, []byte("FROM node:latest\nEXPOSE 8080\nRUN curl -fsSL https://example.com/install.sh | sh\n"), 0o644)
	base := filepath.Join(dir, "baseline.json")
	r := run(t, "", "baseline", "-o", base, df)
	wantCode(t, r, 0)
	wantCode(t, run(t, "", "lint", df), 1)
	r = run(t, "", "lint", "--baseline", base, "--format", "json", df)
	wantCode(t, r, 0)
	var rep struct {
		Findings []struct {
			RuleID     string `json:"ruleId"`
			Suppressed *struct {
				Kind string `json:"kind"`
			} `json:"suppressed"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || len(rep.Findings) == 0 {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	for _, f := range rep.Findings {
		if f.Suppressed == nil || f.Suppressed.Kind != "baseline" {
			t.Errorf("%s not marked as accepted by the baseline", f.RuleID)
		}
	}
	// Lines added above keep the accepted findings accepted; a new problem fails.
	os.WriteFile(df, []byte("# a comment added later\nFROM node:latest\nEXPOSE 8080\nRUN curl -fsSL https://example.com/install.sh | sh\n"), 0o644)
	wantCode(t, run(t, "", "lint", "--baseline", base, df), 0)
	os.WriteFile(df, []byte("FROM node:latest\nEXPOSE 8080\nRUN curl -fsSL https://example.com/install.sh | sh\nRUN wget -qO- https://example.com/other.sh | bash\n"), 0o644)
	r = run(t, "", "lint", "--baseline", base, df)
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "other.sh") && !strings.Contains(r.stdout, "wget") {
		t.Errorf("the new finding is not shown:\n%s", r.stdout)
	}
	old := filepath.Join(dir, "old.json")
	os.WriteFile(old, []byte(`{"schemaVersion":"1.0.0","findings":[]}`), 0o644)
	wantCode(t, run(t, "", "lint", "--baseline", old, df), 2)
	wantCode(t, run(t, "", "lint", "--baseline", filepath.Join(dir, "missing.json"), df), 2)
}

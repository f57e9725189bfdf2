package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/report"
)

// TestGitLabCodeQuality: the gitlab format is a JSON array of code quality
// issues with the fields GitLab requires (description, check_name,
// fingerprint, severity on its scale, location.path and lines.begin),
// suppressed findings left out.
func TestGitLabCodeQuality(t *testing.T) {
	rep := sampleReport(t)
	var buf bytes.Buffer
	if err := report.Write(&buf, "gitlab", rep); err != nil {
		t.Fatal(err)
	}
	var issues []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	unsuppressed := 0
	for _, f := range rep.Findings {
		if f.Suppression == nil {
			unsuppressed++
		}
	}
	if len(issues) != unsuppressed {
		t.Fatalf("%d issues for %d unsuppressed findings", len(issues), unsuppressed)
	}
	scale := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	for _, is := range issues {
		loc, _ := is["location"].(map[string]any)
		lines, _ := loc["lines"].(map[string]any)
		if is["description"] == "" || is["check_name"] == "" || is["fingerprint"] == "" || !scale[is["severity"].(string)] ||
			loc["path"] == "" || lines["begin"].(float64) < 1 {
			t.Errorf("incomplete issue %v", is)
		}
	}
	if issues[0]["severity"] != "blocker" {
		t.Errorf("critical maps to %v, want blocker", issues[0]["severity"])
	}
}

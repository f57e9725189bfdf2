package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// TestSARIFImageSecretLine: an image finding about one line of a file (a
// secret on line 2) is placed at that line of image/<path>, not line 1.
func TestSARIFImageSecretLine(t *testing.T) {
	rep := sampleReport(t)
	rep.Notifications = nil
	rep.Findings = []rule.Finding{
		{RuleID: "DF1990", Severity: rule.Critical, Message: "github-token in /app/config.py:2 (ghp_********)",
			Location: rule.Location{File: "app.tar", Image: &rule.ImageLocation{Image: "app.tar", LayerIndex: 1, Path: "/app/config.py", Line: 2}}},
		{RuleID: "DF1991", Severity: rule.High, Message: "the image sets no user",
			Location: rule.Location{File: "app.tar", Image: &rule.ImageLocation{Image: "app.tar", LayerIndex: -1}}},
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, "sarif", rep); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, r := range log.Runs[0].Results {
		pl := r.Locations[0].PhysicalLocation
		got = append(got, pl.ArtifactLocation.URI+":"+string(rune('0'+pl.Region.StartLine)))
	}
	if len(got) != 2 || got[0] != "image/app/config.py:2" || got[1] != "image/config:1" {
		t.Errorf("SARIF places %v, want image/app/config.py:2 and image/config:1", got)
	}
}

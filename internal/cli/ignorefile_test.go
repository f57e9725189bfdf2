package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// TestShipshapeIgnoreFile checks .shipshapeignore.yaml end to end: a
// matching entry suppresses (kept in JSON with its reason, not gating), an
// expired entry does not suppress and is reported on stderr without making
// the run an input error.
func TestShipshapeIgnoreFile(t *testing.T) {
	ignore := "- id: DF1101\n  reason: the agent image must run as root\n"
	dir := imagetest.TreeOf(t,
		imagetest.Dir(".git"),
		imagetest.File("Dockerfile", "FROM scratch\nCOPY Dockerfile /Dockerfile\nUSER root\nEXPOSE 8080\nHEALTHCHECK NONE\nENTRYPOINT [\"/app\"]\n"),
		imagetest.File(".dockerignore", "*\n!Dockerfile\n"),
		imagetest.File(".shipshapeignore.yaml", ignore),
	)
	df := filepath.Join(dir, "Dockerfile")
	r := run(t, "", "lint", "--format", "json", df)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (the only high finding is ignored)\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	var doc struct {
		Findings []struct {
			RuleID     string `json:"ruleId"`
			Suppressed *struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressed"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range doc.Findings {
		if f.RuleID == "DF1101" {
			found = true
			if f.Suppressed == nil || f.Suppressed.Kind != "config" || !strings.Contains(f.Suppressed.Justification, "root") {
				t.Errorf("DF1101 not suppressed by the ignore file: %+v", f.Suppressed)
			}
		}
	}
	if !found {
		t.Fatal("DF1101 missing from the JSON output")
	}

	expired := ignore + "  expires: 2020-01-01\n"
	imagetest.FileAt(t, filepath.Join(dir, ".shipshapeignore.yaml"), expired)
	r = run(t, "", "lint", df)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: an expired entry no longer suppresses\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "expired on 2020-01-01") {
		t.Errorf("the expired entry is not reported on stderr: %q", r.stderr)
	}
}

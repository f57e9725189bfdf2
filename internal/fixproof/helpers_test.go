package fixproof

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (required in CI)", why)
	}
	t.Skip(why)
}

type jsonFinding struct {
	RuleID  string `json:"ruleId"`
	Message string `json:"message"`
}

// shipshape runs the command in process and returns its JSON findings.
func shipshape(t *testing.T, args ...string) []jsonFinding {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Execute(context.Background(), append(args, "--format", "json", "--fail-on", "none"), strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("shipshape %v: exit %d\n%s", args, code, errb.String())
	}
	var doc struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("shipshape %v: %v\n%s", args, err, out.String())
	}
	return doc.Findings
}

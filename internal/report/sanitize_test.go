package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// TestTerminalOutputEscapesControlCharacters: text from a hostile input
// (an escape sequence in a file name or an instruction, a bidirectional
// override) must reach the terminal as visible escapes, in the text and
// GitHub formats; JSON escapes them by itself.
func TestTerminalOutputEscapesControlCharacters(t *testing.T) {
	rep := sampleReport(t)
	rep.Notifications = nil
	rep.Findings = []rule.Finding{{
		RuleID: "DF1990", Severity: rule.High, Remedy: "fix \x1b[2Jnow",
		Message:  "ENV X=\x1b[31mred\x1b[0m and \u202eoverride\xff",
		Location: rule.Location{File: "evil\x1b]0;pwned\x07/Dockerfile", Range: loc.Range{Line: 1}},
	}}
	for _, format := range []string{"text", "github"} {
		var buf bytes.Buffer
		if err := report.Write(&buf, format, rep); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, raw := range []string{"\x1b", "\x07", "\u202e", "\xff"} {
			if strings.Contains(out, raw) {
				t.Errorf("%s output carries %q raw:\n%q", format, raw, out)
			}
		}
		if !strings.Contains(out, `\x1b[31mred`) || !strings.Contains(out, `\u202eoverride`) {
			t.Errorf("%s output hides what was there instead of showing it escaped:\n%q", format, out)
		}
	}
}

package report

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// encoderJSON is how the report was written before appendReportJSON, and
// what defines its bytes: encoding/json's Encoder with two-space indent.
func encoderJSON(t testing.TB, r *jsonReport) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostileStrings are strings whose escaping encoding/json has opinions
// about: HTML characters, every control byte, invalid UTF-8, the line and
// paragraph separators, quotes and backslashes.
func hostileStrings() []string {
	out := []string{"", "plain", `a "quoted" \ path`, "<script>&amp;</script>", "\u2028\u2029", "x\xffy", "\xe2\x80", "é ü 漢字 🐳",
		"tab\tnew\nline\rret\bback\fform", "\x00\x01\x1f\x7f"}
	var all strings.Builder
	for c := 0; c < 256; c++ {
		all.WriteByte(byte(c))
	}
	return append(out, all.String())
}

func TestJSONStringMatchesEncoder(t *testing.T) {
	for _, s := range hostileStrings() {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, encoding/json says %s", s, got, want)
		}
	}
}

// TestJSONWriterMatchesEncoder: the hand-written report is byte for byte
// what encoding/json writes, for findings with every optional part set or
// empty, and for reports with no findings and with notifications.
func TestJSONWriterMatchesEncoder(t *testing.T) {
	off := 0
	big := 1 << 40
	var findings []jsonFinding
	for i, s := range hostileStrings() {
		f := jsonFinding{RuleID: "DF" + s, Severity: s, Title: s, Message: s, File: s, Line: i, Fingerprint: s}
		if i%2 == 0 {
			f.Fix, f.Column, f.EndLine, f.EndColumn, f.HelpURI = s, i+1, -i, big, s
			f.Offset, f.EndOffset = &off, i*7
			f.Suppressed = &rule.Suppression{Kind: s, Justification: s, Line: i}
			f.Container = &rule.ContainerLocation{Service: s}
			f.Related = []jsonRelated{{RuleID: s, Message: s, File: s, Line: i}, {RuleID: "x"}}
		}
		if i%3 == 0 {
			f.Image = &rule.ImageLocation{Image: s, LayerIndex: -1, Path: s}
			f.Vulnerability = &jsonVuln{Package: s, Version: s, Aliases: []string{s, "a"}, FixState: s, Score: 7.5}
		}
		findings = append(findings, f)
	}
	// Enough findings that the writer flushes several times, and that
	// they are cut into three parts encoded at once (see splitFindings).
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	many := findings
	for len(many) < 3*minFindingsPart+100 {
		many = append(many, findings...)
	}
	if n := len(splitFindings(many, 3)); n != 3 {
		t.Fatalf("%d findings cut into %d parts, want 3", len(many), n)
	}
	reports := []jsonReport{
		{SchemaVersion: "2.0.0", Findings: many, Notifications: nil, Summary: jsonSummary{BySeverity: map[string]int{}}},
		{SchemaVersion: "2.0.0", Tool: jsonTool{"shipshape", "v<1>"}, Complete: true, Findings: findings,
			Summary:       jsonSummary{Files: 3, Findings: len(findings), BySeverity: map[string]int{"high": 2, "low": 1}, Gate: "high", Failed: true},
			Notifications: []Notification{{File: "a&b", Message: "m\n", Level: "warning"}}},
		{SchemaVersion: "2.0.0", Findings: []jsonFinding{}, Notifications: []Notification{}, Summary: jsonSummary{BySeverity: map[string]int{}, Incomplete: "why"}},
		{SchemaVersion: "2.0.0", Findings: findings[:1], Notifications: []Notification{}},
	}
	for i := range reports {
		want := encoderJSON(t, &reports[i])
		var buf bytes.Buffer
		if err := writeReportJSON(&buf, &reports[i]); err != nil {
			t.Fatal(err)
		}
		if got := buf.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("report %d differs from encoding/json:\n%s\nwant:\n%s", i, got, want)
		}
	}
	// A finding encoding/json refuses, in the last part: the error is
	// the writer's, as the encoder's would be.
	bad := append(slices.Clone(many), jsonFinding{RuleID: "X", Vulnerability: &jsonVuln{Score: math.NaN()}})
	if err := writeReportJSON(io.Discard, &jsonReport{SchemaVersion: "2.0.0", Findings: bad}); err == nil {
		t.Error("a NaN score in the last part of the findings was written without an error")
	}
}

// BenchmarkWriteJSON writes a report of 10,000 findings, the size of a lint
// of the real-world corpus, by hand and (for comparison) with
// encoding/json's Encoder as before.
func BenchmarkWriteJSON(b *testing.B) {
	r := jsonReport{SchemaVersion: "2.0.0", Tool: jsonTool{"shipshape", "dev"}, Notifications: []Notification{},
		Summary: jsonSummary{BySeverity: map[string]int{"low": 10000}}}
	off := 12
	for i := 0; i < 10000; i++ {
		r.Findings = append(r.Findings, jsonFinding{RuleID: "DF1601", Severity: "low", Title: "apt lists are not removed",
			Message: "the apt-get install in this RUN leaves /var/lib/apt/lists behind", Fix: "add && rm -rf /var/lib/apt/lists/*",
			File: "corpus/realworld/dockerfiles/docker-library__python/3.12/bookworm/Dockerfile", Line: i, Column: 1, EndLine: i + 3, EndColumn: 40,
			Offset: &off, EndOffset: 400, HelpURI: "https://github.com/shipshape-sec/shipshape/blob/main/docs/rules/DF1601.md",
			Fingerprint: "ea32b0333b8aa9b05a3a3bdd72e35653"})
	}
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := writeReportJSON(io.Discard, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			encoderJSON(b, &r)
		}
	})
}

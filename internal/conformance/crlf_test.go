package conformance

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCRLFLineEndings lints a Dockerfile with Windows line endings and the
// same file with Unix ones: the findings must be identical, no carriage
// return may leak into the model or a message, and the rules the file
// triggers must report at the right lines. No real-world file has CRLF
// endings, so this fixture is the only guard.
func TestCRLFLineEndings(t *testing.T) {
	reg := registry(t)
	path := filepath.Join("testdata", "crlf", "windows-line-endings.Dockerfile")
	crlf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(crlf, []byte("\r\n")) != bytes.Count(crlf, []byte("\n")) {
		t.Fatalf("%s has lost its CRLF line endings (git normalisation? see testdata/.gitattributes)", path)
	}
	lf := bytes.ReplaceAll(crlf, []byte("\r\n"), []byte("\n"))

	a := lintSource(reg, path, crlf, nil)
	b := lintSource(reg, path, lf, nil)
	for _, r := range []linted{a, b} {
		if r.Panic != "" || r.Err != nil {
			t.Fatalf("lint failed: panic=%q err=%v", r.Panic, r.Err)
		}
	}
	render := func(r linted) []string {
		var out []string
		for _, f := range r.Findings {
			out = append(out, fmt.Sprintf("%s %d:%d-%d:%d %s", f.RuleID, f.Range.Line, f.Range.Col, f.Range.EndLine, f.Range.EndCol, f.Message))
		}
		return out
	}
	ra, rb := render(a), render(b)
	if !slices.Equal(ra, rb) {
		t.Errorf("CRLF and LF versions differ\nCRLF:\n  %s\nLF:\n  %s", strings.Join(ra, "\n  "), strings.Join(rb, "\n  "))
	}
	for _, f := range a.Findings {
		if strings.ContainsRune(f.Message, '\r') || strings.ContainsRune(f.Snippet, '\r') || strings.ContainsRune(f.Remedy, '\r') {
			t.Errorf("%s at %d: carriage return in the finding: %q / %q", f.RuleID, f.Range.Line, f.Message, f.Snippet)
		}
	}
	if len(a.File.Instructions) != len(b.File.Instructions) {
		t.Errorf("CRLF gives %d instructions, LF %d", len(a.File.Instructions), len(b.File.Instructions))
	}
	for _, in := range a.File.Instructions {
		parts := append([]string{in.Original}, append(in.Args, in.Flags...)...)
		for _, p := range parts {
			if strings.ContainsRune(p, '\r') {
				t.Errorf("line %d: carriage return in the %s instruction's model: %q", in.Range.Line, in.Keyword, p)
				break
			}
		}
		if in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			if strings.ContainsRune(c.Path+strings.Join(c.Args, " "), '\r') {
				t.Errorf("line %d: carriage return in the RUN script's command %q %q", c.Range.Line, c.Path, c.Args)
			}
		}
		for _, h := range in.Script.Heredocs {
			if strings.ContainsRune(h.Content, '\r') {
				t.Errorf("line %d: carriage return in heredoc %s", in.Range.Line, h.Name)
			}
		}
	}
	if n := len(a.File.Stages); n != 2 {
		t.Errorf("want 2 stages, got %d", n)
	}

	checkExpectations(t, reg, crlf, a, map[string]string{
		"DF1101": "USER root",
		"DF1800": "WORKDIR app",
		"DF1801": "RUN cd /srv",
		"DF1502": "RUN cd /srv",
		"DF1803": "CMD npm start",
		"DF1900": "EXPOSE 22",
	}, []string{"DF1000", "DF1505", "DF1600", "DF1601", "DF1602", "DF1805", "DF1809"})
}

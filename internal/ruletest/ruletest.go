// Package ruletest is the fixture harness shared by rule packages. Fixtures
// carry their own expectations: a line `# want ID "regexp"` (on its own line
// in Dockerfiles, trailing in YAML) says that rule ID must report a finding
// whose message matches regexp at the target line, and nothing else of that
// rule may be reported. A trailing `severity=LEVEL` also asserts the level
// the finding carries, for rules whose level depends on the case.
package ruletest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Want is one expected finding.
type Want struct {
	RuleID string
	Re     *regexp.Regexp
	Line   int // target line
	At     int // line of the annotation itself
	// Severity is the level the finding must carry; "" accepts any.
	Severity string
}

var reWant = regexp.MustCompile(`#\s*want\s+([A-Z]{2}\d{4})\s+("(?:[^"\\]|\\.)*")(?:\s+severity=([a-z]+))?`)

// wantSeverity checks the level of a `severity=` annotation.
func wantSeverity(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if _, err := rule.ParseSeverity(s); err != nil {
		return "", err
	}
	return s, nil
}

// DockerfileWants parses own-line `# want` annotations. The target is the
// next line that is neither blank nor another `# want` line.
func DockerfileWants(src string) ([]Want, error) {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var out []Want
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") {
			continue
		}
		m := reWant.FindStringSubmatch(t)
		if m == nil {
			if strings.Contains(t, "want ") && regexp.MustCompile(`^#\s*want\s`).MatchString(t) {
				return nil, fmt.Errorf("line %d: malformed want annotation", i+1)
			}
			continue
		}
		pat, err := strconv.Unquote(m[2])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		target := 0
		for j := i + 1; j < len(lines); j++ {
			tj := strings.TrimSpace(lines[j])
			if tj == "" || reWant.MatchString(tj) {
				continue
			}
			target = j + 1
			break
		}
		if target == 0 {
			return nil, fmt.Errorf("line %d: want annotation has no target line", i+1)
		}
		sev, err := wantSeverity(m[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		out = append(out, Want{RuleID: m[1], Re: re, Line: target, At: i + 1, Severity: sev})
	}
	return out, nil
}

// Compare matches findings of ruleID against wants and returns one message
// per missing or unexpected finding. A finding folded into a stronger one
// as related counts: fixtures judge what a rule detects.
func Compare(ruleID string, wants []Want, got []rule.Finding) []string {
	got = rule.WithRelated(got)
	var probs []string
	used := make([]bool, len(got))
	for _, w := range wants {
		if w.RuleID != ruleID {
			continue
		}
		ok := false
		for i, f := range got {
			if !used[i] && f.RuleID == ruleID && f.Range.Line == w.Line && w.Re.MatchString(f.Message) &&
				(w.Severity == "" || f.Severity.String() == w.Severity) {
				used[i], ok = true, true
				break
			}
		}
		if !ok {
			var near []string
			for _, f := range got {
				if f.RuleID == ruleID && f.Range.Line == w.Line {
					near = append(near, f.Severity.String()+" "+strconv.Quote(f.Message))
				}
			}
			hint := ""
			if len(near) > 0 {
				hint = " (at that line: " + strings.Join(near, ", ") + ")"
			}
			sev := ""
			if w.Severity != "" {
				sev = " at " + w.Severity
			}
			probs = append(probs, fmt.Sprintf("line %d: missing %s finding%s matching %q%s", w.Line, ruleID, sev, w.Re, hint))
		}
	}
	for i, f := range got {
		if f.RuleID == ruleID && !used[i] {
			probs = append(probs, fmt.Sprintf("line %d: unexpected %s finding: %s", f.Range.Line, ruleID, f.Message))
		}
	}
	return probs
}

// YAMLWants parses trailing `# want ID "regexp"` annotations of a YAML
// fixture: each targets the line it is written on, and one line may carry
// several. A `# want` on a line of its own is an error, since YAML
// fixtures place expectations beside the key they are about (a comment
// line, such as an ignore pragma, may carry one).
func YAMLWants(src string) ([]Want, error) {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var out []Want
	for i, l := range lines {
		ms := reWant.FindAllStringSubmatchIndex(l, -1)
		if len(ms) == 0 {
			if regexp.MustCompile(`#\s*want\s`).MatchString(l) {
				return nil, fmt.Errorf("line %d: malformed want annotation", i+1)
			}
			continue
		}
		if strings.TrimSpace(l[:ms[0][0]]) == "" {
			return nil, fmt.Errorf("line %d: a YAML want annotation must trail the line it targets", i+1)
		}
		for _, m := range ms {
			pat, err := strconv.Unquote(l[m[4]:m[5]])
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			sev := ""
			if m[6] >= 0 {
				if sev, err = wantSeverity(l[m[6]:m[7]]); err != nil {
					return nil, fmt.Errorf("line %d: %v", i+1, err)
				}
			}
			out = append(out, Want{RuleID: l[m[2]:m[3]], Re: re, Line: i + 1, At: i + 1, Severity: sev})
		}
	}
	return out, nil
}

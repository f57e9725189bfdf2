package ruletest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Fixtures describes a rule package's fixture files: every file matching
// testdata/<ID>/<Pattern> whose name starts with bad_ or ok_.
type Fixtures struct {
	// Pattern is the file glob inside testdata/<ID>/ ("*", "*.yaml").
	Pattern string
	// Kind names the fixture files in messages ("Dockerfile", "yaml").
	Kind string
	// Lint returns the findings of a fixture and its source text.
	Lint func(t *testing.T, r *rule.Rule, path string) ([]rule.Finding, string)
	// Wants parses the source's `# want` annotations.
	Wants func(src string) ([]Want, error)
	// CheckSeverity makes every finding of the rule carry its catalogue
	// severity or one of its declared Levels (rule.Allows), so that
	// `shipshape explain` predicts the level of every finding.
	CheckSeverity bool
}

// Run checks every rule against its fixtures: each bad_ fixture must want
// at least one finding of the rule, every want must be matched, the rule
// may report nothing else, and every rule needs both bad_ and ok_
// fixtures.
func (fx Fixtures) Run(t *testing.T, rules []*rule.Rule) {
	for _, r := range rules {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			files, _ := filepath.Glob(filepath.Join("testdata", r.ID, fx.Pattern))
			var bad, ok int
			for _, path := range files {
				base := filepath.Base(path)
				switch {
				case strings.HasPrefix(base, "bad_"):
					bad++
				case strings.HasPrefix(base, "ok_"):
					ok++
				default:
					continue
				}
				got, src := fx.Lint(t, r, path)
				wants, err := fx.Wants(src)
				if err != nil {
					t.Fatalf("%s: %v", base, err)
				}
				if strings.HasPrefix(base, "bad_") && !wantsRule(wants, r.ID) {
					t.Errorf("%s: a bad_ fixture must want at least one %s finding", base, r.ID)
				}
				for _, p := range Compare(r.ID, wants, got) {
					t.Errorf("%s: %s", base, p)
				}
				if fx.CheckSeverity {
					// Related findings are folded into a stronger one and carry no level of their own.
					for _, f := range got {
						if f.RuleID == r.ID && !r.Allows(f.Severity) {
							t.Errorf("%s: line %d: %s reports %s, which is neither its severity (%s) nor one of its Levels",
								base, f.Range.Line, r.ID, f.Severity, r.Severity)
						}
					}
				}
			}
			if bad == 0 || ok == 0 {
				t.Errorf("rule %s needs testdata/%s/bad_*.%s and ok_*.%s fixtures (have %d bad, %d ok)", r.ID, r.ID, fx.Kind, fx.Kind, bad, ok)
			}
		})
	}
}

func wantsRule(wants []Want, id string) bool {
	for _, w := range wants {
		if w.RuleID == id {
			return true
		}
	}
	return false
}

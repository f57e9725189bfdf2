package context

import (
	stdctx "context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/ruletest"
)

// Fixtures are directories, testdata/<ID>/bad_<name>/ and ok_<name>/, each
// a build context: a Dockerfile, usually a .dockerignore, and the files.
// Expectations live in the Dockerfile as `# want ID "regexp"` lines (for
// findings at a Dockerfile line) and in expect.txt as
// `ID path[:line] "regexp"` lines (for findings at a context file; line
// defaults to 1). settings.json holds the rule's settings. expect.txt and
// settings.json are not part of the context. A path component named
// `dot.git` becomes `.git`, which Git cannot store.

var fixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func TestRegistryIsValid(t *testing.T) {
	if _, err := Registry(); err != nil {
		t.Fatal(err)
	}
}

// want is one expected finding of a fixture.
type want struct {
	id   string
	file string // relative to the fixture, slash-separated
	line int
	re   *regexp.Regexp
	src  string
}

var reExpect = regexp.MustCompile(`^([A-Z]{2}\d{4})\s+(\S+?)(?::(\d+))?\s+("(?:[^"\\]|\\.)*")\s*$`)

func parseExpect(data string) ([]want, error) {
	var out []want
	for i, l := range strings.Split(data, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m := reExpect.FindStringSubmatch(l)
		if m == nil {
			return nil, fmt.Errorf("expect.txt:%d: want `ID path[:line] \"regexp\"`", i+1)
		}
		line := 1
		if m[3] != "" {
			line, _ = strconv.Atoi(m[3])
		}
		pat, err := strconv.Unquote(m[4])
		if err != nil {
			return nil, fmt.Errorf("expect.txt:%d: %v", i+1, err)
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("expect.txt:%d: %v", i+1, err)
		}
		out = append(out, want{id: m[1], file: m[2], line: line, re: re, src: l})
	}
	return out, nil
}

// materialize copies a fixture into a temporary directory, leaving out the
// harness files and renaming dot.git.
func materialize(t *testing.T, src string) string {
	t.Helper()
	var entries []imagetest.Entry
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel == "." || rel == "expect.txt" || rel == "settings.json" {
			return nil
		}
		rel = strings.ReplaceAll(filepath.ToSlash(rel), "dot.git", ".git")
		if d.IsDir() {
			entries = append(entries, imagetest.Dir(rel))
			return nil
		}
		data, err := os.ReadFile(p)
		entries = append(entries, imagetest.File(rel, string(data)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return imagetest.TreeOf(t, entries...)
}

// lintFixture runs the engine on one fixture context: every build-context
// rule, Dockerfile pragmas included. It returns the findings with file
// paths relative to the context and the wants.
func lintFixture(t *testing.T, reg *rule.Registry, r *rule.Rule, fixture string) ([]rule.Finding, []want) {
	t.Helper()
	dir := materialize(t, fixture)
	cfg := config.Default()
	if data, err := os.ReadFile(filepath.Join(fixture, "settings.json")); err == nil {
		var s map[string]any
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("settings.json: %v", err)
		}
		cfg.Rules[r.ID] = config.RuleConfig{Settings: s}
	}
	var wants []want
	if data, err := os.ReadFile(filepath.Join(fixture, "expect.txt")); err == nil {
		ws, err := parseExpect(string(data))
		if err != nil {
			t.Fatal(err)
		}
		wants = ws
	}
	dfPath := filepath.Join(dir, "Dockerfile")
	var f *dockerfile.File
	if src, err := os.ReadFile(dfPath); err == nil {
		f, err = dockerfile.Parse(dfPath, src, dockerfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		dws, err := ruletest.DockerfileWants(string(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range dws {
			wants = append(wants, want{id: w.RuleID, file: "Dockerfile", line: w.Line, re: w.Re, src: fmt.Sprintf("Dockerfile:%d", w.At)})
		}
	} else {
		dfPath = ""
	}
	c, err := buildctx.Load(dir, dfPath, f, buildctx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := engine.LintContext(stdctx.Background(), c, reg, cfg, fixtureNow)
	for i := range got {
		if rel, err := filepath.Rel(dir, got[i].File); err == nil {
			got[i].File = filepath.ToSlash(rel)
		}
	}
	return got, wants
}

// compare matches the findings of ruleID against wants.
func compare(ruleID string, wants []want, got []rule.Finding) []string {
	var probs []string
	used := make([]bool, len(got))
	for _, w := range wants {
		if w.id != ruleID {
			continue
		}
		found := false
		for i, f := range got {
			if !used[i] && f.RuleID == ruleID && f.Suppression == nil && f.File == w.file && f.Range.Line == w.line && w.re.MatchString(f.Message) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			probs = append(probs, fmt.Sprintf("missing %s finding at %s:%d matching %q (%s)", ruleID, w.file, w.line, w.re, w.src))
		}
	}
	for i, f := range got {
		if f.RuleID == ruleID && f.Suppression == nil && !used[i] {
			probs = append(probs, fmt.Sprintf("unexpected %s finding at %s:%d: %s", ruleID, f.File, f.Range.Line, f.Message))
		}
	}
	return probs
}

func TestFixtures(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reg.All() {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			entries, _ := os.ReadDir(filepath.Join("testdata", r.ID))
			var bad, ok int
			for _, e := range entries {
				name := e.Name()
				if !e.IsDir() {
					continue
				}
				switch {
				case strings.HasPrefix(name, "bad_"):
					bad++
				case strings.HasPrefix(name, "ok_"):
					ok++
				default:
					continue
				}
				got, wants := lintFixture(t, reg, r, filepath.Join("testdata", r.ID, name))
				if strings.HasPrefix(name, "bad_") {
					n := 0
					for _, w := range wants {
						if w.id == r.ID {
							n++
						}
					}
					if n == 0 {
						t.Errorf("%s: a bad_ fixture must want at least one %s finding", name, r.ID)
					}
				}
				for _, p := range compare(r.ID, wants, got) {
					t.Errorf("%s: %s", name, p)
				}
				for _, f := range got {
					if strings.Contains(f.Message, "crashed") || strings.Contains(f.Message, "could not run") {
						t.Errorf("%s: %s", name, f.Message)
					}
					if f.RuleID == r.ID && !r.Allows(f.Severity) {
						t.Errorf("%s: %s reports %s, which is neither its severity (%s) nor one of its Levels", name, r.ID, f.Severity, r.Severity)
					}
				}
			}
			if bad == 0 || ok == 0 {
				t.Errorf("rule %s needs testdata/%s/bad_*/ and ok_*/ fixture directories (have %d bad, %d ok)", r.ID, r.ID, bad, ok)
			}
		})
	}
}

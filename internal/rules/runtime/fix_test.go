package runtime

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
)

var update = flag.Bool("update", false, "rewrite the .golden files of testdata/fix")

var (
	reFixHeader = regexp.MustCompile(`(?m)^# fix: --level (\w+) --rule ([\w,]+)$`)
	reRefused   = regexp.MustCompile(`(?m)^# refused: (\w+) "(.*)"$`)
)

// TestComposeFixes applies the fixes of testdata/fix/*.yaml at the level
// and for the rules each file's `# fix:` line names, and checks the result
// byte for byte against the file's .golden twin (the secret files a fix
// creates are appended to it under a marker line), every refusal against
// the file's `# refused:` lines (a refusal not listed fails), and that a
// second run over the fixed file changes nothing.
func TestComposeFixes(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "fix", "*.y*ml"))
	if len(files) < 8 {
		t.Fatalf("only %d fix fixtures", len(files))
	}
	for _, src := range files {
		t.Run(filepath.Base(src), func(t *testing.T) {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			h := reFixHeader.FindStringSubmatch(string(data))
			if h == nil {
				t.Fatal("no `# fix: --level L --rule IDS` line")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "docker-compose.yml")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			res := runFix(t, path, h[1], strings.Split(h[2], ","))
			var got strings.Builder
			var skipped []string
			for _, ff := range res.Files {
				if ff.Path == path {
					got.Write(ff.After)
				}
				for _, n := range ff.Skipped {
					skipped = append(skipped, n.RuleID+" "+n.Reason)
				}
			}
			for _, ff := range res.Files {
				if ff.Create {
					got.WriteString("\n### created " + filepath.ToSlash(strings.TrimPrefix(ff.Path, dir+string(filepath.Separator))) + "\n" + string(ff.After) + "\n")
				}
			}
			checkGolden(t, src+".golden", got.String())
			checkRefusals(t, string(data), skipped)
			for _, ff := range res.Files {
				if ff.Changed() {
					if err := engine.WriteFixed(ff); err != nil {
						t.Fatal(err)
					}
				}
			}
			again := runFix(t, path, h[1], strings.Split(h[2], ","))
			for _, ff := range again.Files {
				if ff.Changed() {
					t.Errorf("a second run changes %s:\n%s", ff.Path, ff.After)
				}
			}
		})
	}
}

func runFix(t *testing.T, path, level string, rules []string) *engine.FixResult {
	t.Helper()
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	only := map[string]bool{}
	for _, r := range rules {
		only[r] = true
	}
	res, err := engine.Fix(context.Background(), engine.FixOptions{
		Lint:  engine.LintOptions{Paths: []string{path}, Rules: reg, Configs: config.NewFinder(reg), Now: fixtureNow},
		Level: level, Only: only,
	})
	if err != nil {
		t.Fatal(err)
	}
	if inc := res.Lint.Incomplete(); inc != "" {
		t.Fatalf("lint incomplete: %s", inc)
	}
	return res
}

func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("fixed text differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
}

// checkRefusals matches each refusal of the run to a `# refused:` line of
// the fixture, one to one.
func checkRefusals(t *testing.T, src string, skipped []string) {
	t.Helper()
	sort.Strings(skipped)
	used := map[int]bool{}
	wants := reRefused.FindAllStringSubmatch(src, -1)
	for _, s := range skipped {
		ok := false
		for i, w := range wants {
			if !used[i] && strings.HasPrefix(s, w[1]+" ") && regexp.MustCompile(w[2]).MatchString(s) {
				used[i], ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("unexpected refusal: %s", s)
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("expected refusal %s %q did not happen", w[1], w[2])
		}
	}
}

// TestComposeFixOverride: a service that an override file (merged
// automatically beside compose.yaml) also defines is refused, with the
// file named; a service only the main file defines is fixed; the override
// is not touched.
func TestComposeFixOverride(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "compose.yaml")
	over := filepath.Join(dir, "compose.override.yaml")
	mainSrc := "services:\n  web:\n    image: nginx:1.27\n  api:\n    image: api:1\n"
	overSrc := "services:\n  web:\n    environment:\n      DEBUG: \"1\"\n"
	for p, s := range map[string]string{main: mainSrc, over: overSrc} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := runFix(t, main, "safe", []string{"RT1006"})
	refused, fixed := false, ""
	for _, ff := range res.Files {
		if ff.Path == over && ff.Changed() {
			t.Errorf("the override changed:\n%s", ff.After)
		}
		if ff.Path == main {
			fixed = string(ff.After)
		}
		for _, n := range ff.Skipped {
			refused = refused || strings.Contains(n.Reason, `service "web" is also defined in `+over)
		}
	}
	if !refused {
		t.Error("no refusal for the service the override also defines")
	}
	if want := mainSrc + "    security_opt:\n      - no-new-privileges:true\n"; fixed != want {
		t.Errorf("main file:\n%s\nwant\n%s", fixed, want)
	}
}

// TestComposeFixInclude: fix never edits a file that was included rather
// than linted, even at --level review where every service of it lacks
// hardening; the linted file's own service is fixed.
func TestComposeFixInclude(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "compose.yaml")
	inc := filepath.Join(dir, "db.yaml")
	mainSrc := "include:\n  - db.yaml\nservices:\n  web:\n    image: nginx:1.27\n"
	if err := os.WriteFile(main, []byte(mainSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(inc, []byte("services:\n  db:\n    image: postgres:16\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runFix(t, main, "review", []string{"RT1006", "RT1012"})
	fixed := ""
	for _, ff := range res.Files {
		switch {
		case ff.Path == main:
			fixed = string(ff.After)
		case ff.Changed():
			t.Errorf("%s changed:\n%s", ff.Path, ff.After)
		}
	}
	if want := mainSrc + "    security_opt:\n      - no-new-privileges:true\n    mem_limit: 1g\n"; fixed != want {
		t.Errorf("main file:\n%s\nwant\n%s", fixed, want)
	}
}

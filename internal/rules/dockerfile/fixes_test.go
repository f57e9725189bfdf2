package dockerfile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// updateFixes rewrites the fix goldens from what the fixes produce; review
// the diff before committing it.
var updateFixes = flag.Bool("update-fixes", false, "rewrite testdata/<ID>/fixed/ goldens")

// fixingRules are the rules whose findings carry safe fixes. Each needs a
// golden in testdata/<ID>/fixed/ for at least one fixture; every fixture
// without a golden must come out unchanged (the fix must not be produced).
var fixingRules = []string{"DF1500", "DF1601", "DF1603", "DF1604", "DF1803", "DF1804", "DF1806", "DF1808", "DF1809"}

// TestFixGoldens applies each fixing rule's safe fixes to its fixtures and
// compares the result with testdata/<ID>/fixed/<fixture> byte for byte
// (no golden: the fixture must not change). The fixed text parses, and a
// second run over it changes nothing.
func TestFixGoldens(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range fixingRules {
		r, ok := reg.Get(id)
		if !ok {
			t.Fatalf("no rule %s", id)
		}
		t.Run(id, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join("testdata", id, "*.Dockerfile"))
			changed := 0
			for _, path := range files {
				base := filepath.Base(path)
				golden := filepath.Join("testdata", id, "fixed", base)
				findings, src := lintFixture(t, reg, r, path)
				ff, err := engine.FixSource(base, []byte(src), findings, "safe", map[string]bool{id: true})
				if err != nil {
					t.Fatal(err)
				}
				want, gerr := os.ReadFile(golden)
				if *updateFixes {
					if ff.Changed() {
						os.MkdirAll(filepath.Dir(golden), 0o755)
						os.WriteFile(golden, ff.After, 0o644)
					} else {
						os.Remove(golden)
					}
					continue
				}
				if gerr != nil {
					want = []byte(src)
				}
				if !bytes.Equal(ff.After, want) {
					t.Errorf("%s: fixed text differs from %s:\n--- got\n%s\n--- want\n%s", base, golden, ff.After, want)
					continue
				}
				if !ff.Changed() {
					continue
				}
				changed++
				checkRefixIsNoop(t, reg, r, base, ff.After)
			}
			if changed == 0 && !*updateFixes {
				t.Errorf("%s: no fixture is fixed: add one to testdata/%s/fixed/", id, id)
			}
		})
	}
}

// checkRefixIsNoop parses a fixed text (no new parse error) and fixes it
// again: nothing may change, and the rule's fixed findings are gone.
func checkRefixIsNoop(t *testing.T, reg *rule.Registry, r *rule.Rule, name string, fixed []byte) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, fixed, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := dockerfile.Parse(name, fixed, dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Errors) > 0 {
		t.Errorf("%s: the fixed text does not parse: %v", name, m.Errors[0].Message)
	}
	findings, _ := lintFixture(t, reg, r, p)
	again, err := engine.FixSource(name, fixed, findings, "safe", map[string]bool{r.ID: true})
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed() {
		t.Errorf("%s: a second fix run changes the text again:\n%s", name, again.After)
	}
	for _, f := range findings {
		if f.RuleID == r.ID && hasSafeEdit(f) {
			t.Errorf("%s: line %d: %s still has a fix after fixing", name, f.Range.Line, r.ID)
		}
	}
}

func hasSafeEdit(f rule.Finding) bool {
	for _, fx := range f.Fixes {
		if fx.Level == rule.FixSafe && len(fx.Edits) > 0 {
			return true
		}
	}
	return false
}

// TestFixRefusals: where a fixing rule's finding gets no fix, the rule
// says why, and the reason is the one this case calls for.
func TestFixRefusals(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file string
		line int
		want string
	}{
		{"DF1500/bad_local.Dockerfile", 4, "from a variable"},
		{"DF1500/bad_local.Dockerfile", 10, "some sources are URLs"},
		{"DF1500/bad_fix_flags.Dockerfile", 7, "no --keep-git-dir"},
		{"DF1500/bad_fix_flags.Dockerfile", 10, "does not show it is not one (rootfs)"},
		{"DF1500/bad_fix_flags.Dockerfile", 12, "(payload.bin)"},
		{"DF1601/bad_fix_styles.Dockerfile", 14, "heredoc"},
		{"DF1601/bad_fix_styles.Dockerfile", 19, "background"},
		{"DF1601/bad_fix_styles.Dockerfile", 21, "sh -c"},
		{"DF1603/bad_nested.Dockerfile", 0, "sh -c"},
		{"DF1604/bad_pip.Dockerfile", 10, "exec form"},
		{"DF1803/bad_shell_form.Dockerfile", 3, "a CMD would become the arguments"},
		{"DF1803/bad_shell_form.Dockerfile", 5, "an ENTRYPOINT of the Dockerfile"},
		{"DF1803/bad_fix_shell_syntax.Dockerfile", 4, "shell syntax"},
		{"DF1803/bad_fix_shell_syntax.Dockerfile", 6, "shell syntax"},
		{"DF1803/bad_fix_under_entrypoint.Dockerfile", 5, "an ENTRYPOINT of the Dockerfile"},
		{"DF1806/bad_pipe.Dockerfile", 3, "dash, which has no pipefail"},
		{"DF1806/bad_pipe.Dockerfile", 9, "inside a `sh -c` string"},
		{"DF1806/bad_fix_shells.Dockerfile", 11, "left of && under set -e"},
		{"DF1806/bad_fix_shells.Dockerfile", 14, "in an if"},
		{"DF1808/bad_apt.Dockerfile", 5, "apt upgrade does not do the same"},
		{"DF1809/bad_apt.Dockerfile", 5, "exec form"},
		{"DF1809/bad_heredoc.Dockerfile", 0, "heredoc"},
	}
	for _, c := range cases {
		id := filepath.Dir(c.file)
		r, _ := reg.Get(id)
		findings, _ := lintFixture(t, reg, r, filepath.Join("testdata", c.file))
		var got []string
		for _, f := range findings {
			for _, fx := range fixesWithRelated(f, id) {
				if fx.Refused != "" && (c.line == 0 || f.Range.Line == c.line) {
					got = append(got, fx.Refused)
				}
			}
		}
		if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), c.want) {
			t.Errorf("%s:%d: refusals %q, want one saying %q", c.file, c.line, got, c.want)
		}
	}
}

// fixesWithRelated returns the fixes of rule id a finding carries, its own
// or those of a finding folded into it.
func fixesWithRelated(f rule.Finding, id string) []rule.Fix {
	var out []rule.Fix
	if f.RuleID == id {
		out = append(out, f.Fixes...)
	}
	for _, r := range f.Related {
		if r.RuleID == id {
			out = append(out, r.Fixes...)
		}
	}
	return out
}

// TestSuggestionsShownNeverApplied: the suggest-level fixes (multi-stage
// split, a smaller base, a HEALTHCHECK) are reported as not applied, with
// what to do, even at --level all, and change nothing.
func TestSuggestionsShownNeverApplied(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ file, want string }{
		{"DF1300/bad_go_build_single_stage.Dockerfile", "COPY --from=build"},
		{"DF1203/bad_debian.Dockerfile", "-slim"},
		{"DF1901/bad_server_image.Dockerfile", "add a HEALTHCHECK"},
	}
	for _, c := range cases {
		id := filepath.Dir(c.file)
		r, _ := reg.Get(id)
		findings, src := lintFixture(t, reg, r, filepath.Join("testdata", c.file))
		ff, err := engine.FixSource(c.file, []byte(src), findings, "all", map[string]bool{id: true})
		if err != nil {
			t.Fatal(err)
		}
		if ff.Changed() || len(ff.Applied) > 0 {
			t.Errorf("%s: a suggestion was applied: %+v", c.file, ff.Applied)
		}
		found := false
		for _, n := range ff.Skipped {
			if n.RuleID == id && n.Level == rule.FixSuggest && strings.Contains(n.Reason, "never applied") && strings.Contains(n.Title, c.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no suggestion saying %q among %+v", c.file, c.want, ff.Skipped)
		}
	}
}

// TestPipefailShellReviewFix: on a Debian stage, where the safe fix is
// refused (dash), --level review inserts one pipefail SHELL before the
// first piped RUN, which covers the RUNs after it and the stage built on
// it; a stage with a pipe that pipefail could reroute gets none.
func TestPipefailShellReviewFix(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := reg.Get("DF1806")
	path := filepath.Join("testdata", "DF1806", "bad_fix_debian.Dockerfile")
	findings, src := lintFixture(t, reg, r, path)
	name := filepath.Base(path)
	safe, _ := engine.FixSource(name, []byte(src), findings, "safe", map[string]bool{"DF1806": true})
	if safe.Changed() {
		t.Errorf("the safe level changed the file:\n%s", safe.After)
	}
	ff, err := engine.FixSource(name, []byte(src), findings, "review", map[string]bool{"DF1806": true})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(src, "RUN curl -fsSL https://example.com/tool.tgz", "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/tool.tgz", 1)
	if string(ff.After) != want {
		t.Fatalf("review fix:\n%s\nwant\n%s", ff.After, want)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	os.WriteFile(p, ff.After, 0o644)
	after, _ := lintFixture(t, reg, r, p)
	var left []int
	for _, f := range after {
		if f.RuleID == "DF1806" {
			left = append(left, f.Range.Line)
		}
		for _, x := range f.Related {
			if x.RuleID == "DF1806" {
				left = append(left, x.Range.Line)
			}
		}
	}
	slices.Sort(left)
	// Only the Ubuntu stage's findings stay (lines move down by one).
	if len(left) != 2 || left[0] != 18 || left[1] != 20 {
		t.Errorf("DF1806 after the review fix at lines %v, want [18 20]", left)
	}
	again, _ := engine.FixSource("Dockerfile", ff.After, after, "review", map[string]bool{"DF1806": true})
	if again.Changed() {
		t.Errorf("a second review run changes the file:\n%s", again.After)
	}
}

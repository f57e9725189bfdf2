package dockerfile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
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
var fixingRules = []string{"DF1500", "DF1601", "DF1603", "DF1604", "DF1804", "DF1806", "DF1808", "DF1809"}

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

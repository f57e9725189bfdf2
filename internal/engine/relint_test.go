package engine_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/rules/all"
)

// TestRelintMatchesFullLint is the proof that `fix --apply` may re-lint only
// what it wrote: the real-world corpus (Dockerfiles and compose files in
// their repository trees) is copied, fixed at the review level (the level
// that writes most: Dockerfiles, compose files, created .dockerignore and
// secret files), and the result of Relint over the written files must equal
// a full Lint of the fixed tree: the same findings with the same
// fingerprints, files and notifications.
func TestRelintMatchesFullLint(t *testing.T) {
	src := filepath.Join(sharedDir(t), "corpus", "realworld")
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lo := engine.LintOptions{Paths: []string{dir}, Rules: reg, Configs: config.NewFinder(reg)}
	res, err := engine.Fix(ctx, engine.FixOptions{Lint: lo, Level: "review"})
	if err != nil {
		t.Fatal(err)
	}
	var written []string
	created := 0
	for _, ff := range res.Files {
		if ff.Changed() {
			if err := engine.WriteFixed(ff); err != nil {
				t.Fatal(err)
			}
			written = append(written, ff.Path)
			if ff.Create {
				created++
			}
		}
	}
	if len(written) < 100 || created == 0 {
		t.Fatalf("the review fixes wrote %d files (%d created); expected hundreds, some created", len(written), created)
	}
	again := engine.Relint(ctx, res.Lint, written)
	if again == nil {
		t.Fatal("Relint gave nothing for a finished lint run")
	}
	lo.NoFixes = true // Relint reports verdicts, never fixes
	full := engine.Lint(ctx, lo)
	if full.Incomplete() != "" || again.Incomplete() != "" {
		t.Fatalf("incomplete: full %q, relint %q", full.Incomplete(), again.Incomplete())
	}
	if a, b := asJSON(t, withoutFixes(again.Findings)), asJSON(t, withoutFixes(full.Findings)); a != b {
		t.Errorf("Relint findings (%d) differ from a full lint's (%d)", len(again.Findings), len(full.Findings))
	}
	if a, b := sorted(again.Files), sorted(full.Files); !slices.Equal(a, b) {
		t.Errorf("Relint files (%d) differ from a full lint's (%d)", len(a), len(b))
	}
	if a, b := asJSON(t, again.Notifications), asJSON(t, full.Notifications); a != b {
		t.Errorf("Relint notifications differ:\n%s\nfull lint:\n%s", a, b)
	}
	if asJSON(t, withoutFixes(res.Lint.Findings)) == asJSON(t, withoutFixes(full.Findings)) {
		t.Error("the fixes changed no finding: the comparison proves nothing")
	}
	t.Logf("%d files written (%d created); %d findings before, %d after", len(written), created, len(res.Lint.Findings), len(full.Findings))
}

// withoutFixes drops the fixes, which a lint that gives only a verdict
// (NoFixes) does not plan.
func withoutFixes(fs []rule.Finding) []rule.Finding {
	out := slices.Clone(fs)
	for i := range out {
		out[i].Fixes = nil
		out[i].Related = slices.Clone(out[i].Related)
		for j := range out[i].Related {
			out[i].Related[j].Fixes = nil
		}
	}
	return out
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

package engine

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// TestNoFixesChangesOnlyFixes: LintOptions.NoFixes lets rules skip their
// repairs, and nothing else of any finding may change with it. The input
// is a compose file whose findings carry compose fixes (and refused ones)
// and a Dockerfile beside it.
func TestNoFixesChangesOnlyFixes(t *testing.T) {
	dir := t.TempDir()
	compose := "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n" +
		"  db:\n    image: postgres:16\n    read_only: false\n    environment:\n      POSTGRES_PASSWORD: example\n" +
		"  base: &base\n    image: redis:7\n  cache:\n    <<: *base\n"
	files := map[string]string{
		"docker-compose.yml": compose,
		"Dockerfile":         "FROM debian:12\nMAINTAINER me\nRUN apt-get update && apt-get install curl\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lint := func(noFixes bool) []rule.Finding {
		o := fixOpts(t, dir).Lint
		o.NoFixes = noFixes
		res := Lint(context.Background(), o)
		if len(res.Findings) == 0 {
			t.Fatal("no findings")
		}
		return res.Findings
	}
	with, without := lint(false), lint(true)
	composeFixes := 0
	for i := range with {
		if with[i].File == filepath.Join(dir, "docker-compose.yml") && len(with[i].Fixes) > 0 {
			composeFixes++
		}
	}
	if composeFixes == 0 {
		t.Fatal("no compose finding has a fix: the test shows nothing")
	}
	strip := func(fs []rule.Finding) []rule.Finding {
		out := make([]rule.Finding, len(fs))
		for i, f := range fs {
			f.Fixes = nil
			f.Related = append([]rule.Related(nil), f.Related...)
			for j := range f.Related {
				f.Related[j].Fixes = nil
			}
			out[i] = f
		}
		return out
	}
	for _, f := range without {
		if len(f.Fixes) > 0 && filepath.Base(f.File) == "docker-compose.yml" {
			t.Errorf("%s at line %d has a compose fix under NoFixes", f.RuleID, f.Range.Line)
		}
	}
	if a, b := strip(with), strip(without); !reflect.DeepEqual(a, b) {
		t.Errorf("NoFixes changed the findings beyond their fixes:\nwith:    %+v\nwithout: %+v", a, b)
	}
}

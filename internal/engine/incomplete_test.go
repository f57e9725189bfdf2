package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

// TestLintCancelledIsIncomplete: a run whose context ends before it is
// done says so, whatever it found, and an unreadable input makes it
// incomplete too; a run that checked everything is complete.
func TestLintCancelledIsIncomplete(t *testing.T) {
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM alpine:3.20\nUSER 10001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := LintOptions{Paths: []string{df}, Rules: reg, Configs: config.NewFinder(reg)}
	if res := Lint(context.Background(), o); res.Incomplete() != "" {
		t.Fatalf("a finished run is incomplete: %q", res.Incomplete())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Lint(ctx, o)
	if !res.Interrupted || res.Incomplete() == "" || len(res.Files) != 0 {
		t.Errorf("cancelled run: interrupted=%v incomplete=%q files=%v", res.Interrupted, res.Incomplete(), res.Files)
	}
	o.Paths = append(o.Paths, filepath.Join(dir, "missing", "Dockerfile"))
	if res := Lint(context.Background(), o); res.Incomplete() != "1 input could not be read" {
		t.Errorf("unreadable input: incomplete=%q", res.Incomplete())
	}
}

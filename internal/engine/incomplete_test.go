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

// TestBinaryFileNamedDockerfile: a binary file found as a Dockerfile is
// one DF1000 finding, not a finding per run of bytes.
func TestBinaryFileNamedDockerfile(t *testing.T) {
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := make([]byte, 64<<10)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	copy(bin, "FROM\x00\x7fELF")
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	res := Lint(context.Background(), LintOptions{Paths: []string{df}, Rules: reg, Configs: config.NewFinder(reg)})
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "DF1000" || res.Findings[0].Range.Line != 1 {
		t.Fatalf("binary Dockerfile gave %d findings: %+v", len(res.Findings), res.Findings)
	}
	if res.Incomplete() != "" {
		t.Errorf("a binary file is read and reported, not an unreadable input: %q", res.Incomplete())
	}
}

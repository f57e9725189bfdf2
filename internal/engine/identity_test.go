package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

// TestFingerprintIsRepositoryRelative lints one Dockerfile inside a
// repository through two different spellings of its path: the fingerprint
// hashes the path relative to the repository root, so both agree, and a
// copy of the repository elsewhere agrees too.
func TestFingerprintIsRepositoryRelative(t *testing.T) {
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("FROM node:latest\nRUN curl -k https://example.com/x | sh\n")
	repo := func() string {
		d := t.TempDir()
		if err := os.MkdirAll(filepath.Join(d, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(d, "svc"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "svc", "Dockerfile"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	fps := func(path string) map[string]string {
		res := Lint(context.Background(), LintOptions{Paths: []string{path}, Rules: reg, Configs: config.NewFinder(reg)})
		out := map[string]string{}
		for _, f := range res.Findings {
			out[f.RuleID+" "+f.Message] = f.Fingerprint
		}
		if len(out) < 3 {
			t.Fatalf("%s: only %d findings", path, len(out))
		}
		return out
	}
	a, b := repo(), repo()
	one := fps(filepath.Join(a, "svc", "Dockerfile"))
	two := fps(filepath.Join(a, "svc", "..", "svc", "Dockerfile"))
	other := fps(filepath.Join(b, "svc", "Dockerfile"))
	for k, fp := range one {
		if two[k] != fp || other[k] != fp {
			t.Errorf("%s: fingerprints %s / %s / %s differ by path spelling or checkout", k, fp, two[k], other[k])
		}
	}
}

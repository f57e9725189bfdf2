package context

import (
	stdctx "context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
)

// fixContext writes a build context into a temporary directory and runs
// the safe fixes of CX1102 over its Dockerfile, as `shipshape fix` does.
func fixContext(t *testing.T, files map[string]string) (string, *engine.FixResult) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Fix(stdctx.Background(), engine.FixOptions{
		Lint:  engine.LintOptions{Paths: []string{filepath.Join(dir, "Dockerfile")}, Rules: reg, Configs: config.NewFinder(reg), Now: fixtureNow},
		Level: "safe", Only: map[string]bool{"CX1102": true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

// created returns the .dockerignore a fix run would create, or "".
func created(t *testing.T, dir string, res *engine.FixResult) string {
	t.Helper()
	for _, ff := range res.Files {
		if ff.Create && ff.Path == filepath.Join(dir, ".dockerignore") {
			return string(ff.After)
		}
		if ff.Changed() {
			t.Errorf("the fix changes %s", ff.Path)
		}
	}
	return ""
}

// TestCX1102FixCreatesDockerignore: a Dockerfile that copies the whole
// context gets a .dockerignore of what no build reads; written, it ends
// the finding, and the context's application files are still sent.
func TestCX1102FixCreatesDockerignore(t *testing.T) {
	dir, res := fixContext(t, map[string]string{
		"Dockerfile":                  "FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nADD ./ /srv\nCMD [\"python\", \"app.py\"]\n",
		"app.py":                      "print('hi')\n",
		".git/HEAD":                   "ref: refs/heads/main\n",
		"__pycache__/app.cpython.pyc": "x",
	})
	got := created(t, dir, res)
	want := "# Created by `shipshape fix` (CX1102): files the build never reads.\n" +
		".git\n.hg\n.svn\n.idea\n.vscode\n**/.DS_Store\n**/Thumbs.db\n**/*.swp\n**/__pycache__\n**/*.pyc\n"
	if got != want {
		t.Fatalf("created .dockerignore:\n%s\nwant\n%s", got, want)
	}
	// Two findings, one file: only the first finding carries the fix.
	if n := len(res.Files[0].Applied); n != 1 {
		t.Errorf("applied %d fixes, want 1: %+v", n, res.Files[0].Applied)
	}
	if err := engine.WriteFixed(res.Files[0]); err != nil {
		t.Fatal(err)
	}
	reg, _ := Registry()
	after := engine.Lint(stdctx.Background(), engine.LintOptions{Paths: []string{filepath.Join(dir, "Dockerfile")}, Rules: reg, Configs: config.NewFinder(reg), Now: fixtureNow})
	for _, f := range after.Findings {
		if f.RuleID == "CX1102" || f.RuleID == "CX1300" {
			t.Errorf("after the fix: %s %s", f.RuleID, f.Message)
		}
	}
}

// TestCX1102FixKeepsWhatTheBuildReads: a pattern the Dockerfile names or
// whose tool a RUN runs is left out; a second Dockerfile in the directory
// refuses the fix; a context without the finding gets nothing.
func TestCX1102FixKeepsWhatTheBuildReads(t *testing.T) {
	dir, res := fixContext(t, map[string]string{
		"Dockerfile": "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nCOPY .vscode/settings.json /etc/\nRUN git describe --tags > /version\n",
		"main.go":    "package main\n",
	})
	got := created(t, dir, res)
	if got == "" || strings.Contains(got, ".git\n") || strings.Contains(got, ".vscode") || !strings.Contains(got, ".idea\n") {
		t.Errorf("created .dockerignore:\n%s\nwant it without .git and .vscode, with .idea", got)
	}

	dir, res = fixContext(t, map[string]string{
		"Dockerfile":     "FROM alpine:3.20\nCOPY . /app\n",
		"Dockerfile.dev": "FROM alpine:3.20\nCOPY . /app\nRUN git log\n",
		"app.sh":         "echo hi\n",
	})
	if got := created(t, dir, res); got != "" {
		t.Errorf("created a .dockerignore another Dockerfile reads:\n%s", got)
	}
	if len(res.Files) != 1 || len(res.Files[0].Skipped) != 1 || !strings.Contains(res.Files[0].Skipped[0].Reason, "another Dockerfile") {
		t.Errorf("want the refusal told: %+v", res.Files)
	}

	dir, res = fixContext(t, map[string]string{"Dockerfile": "FROM alpine:3.20\nCOPY app.sh /app/\n", "app.sh": "echo hi\n"})
	if got := created(t, dir, res); got != "" {
		t.Errorf("created a .dockerignore without a finding:\n%s", got)
	}
}

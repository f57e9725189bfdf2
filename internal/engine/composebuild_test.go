package engine

import (
	"path/filepath"
	"testing"
)

// composeBuildFixture is a compose project whose service builds from
// ./app with Dockerfile.prod, and whose context holds a .env file that no
// .dockerignore keeps out.
func composeBuildFixture(t *testing.T) string {
	t.Helper()
	return writeFiles(t, map[string]string{
		"compose.yaml": "services:\n  web:\n    build:\n      context: ./app\n      dockerfile: Dockerfile.prod\n" +
			"  gone:\n    build: ./missing\n  remote:\n    build: https://github.com/docker/rootfs.git\n",
		"app/Dockerfile.prod": "FROM scratch\nCOPY main /main\n",
		"app/main":            "x",
		"app/.env":            "API_TOKEN=abc\n",
	})
}

func cxAt(res *Result, id, base string) int {
	n := 0
	for _, f := range res.Findings {
		if f.RuleID == id && filepath.Base(f.File) == base {
			n++
		}
	}
	return n
}

func TestComposeBuildContext(t *testing.T) {
	dir := composeBuildFixture(t)
	res := lintFor(t, LintOptions{Paths: []string{filepath.Join(dir, "compose.yaml")}})
	if res.InputErrors != 0 {
		t.Fatalf("input errors: %+v", res.Notifications)
	}
	if n := cxAt(res, "CX1100", ".env"); n != 1 {
		t.Fatalf("CX1100 on app/.env reported %d times, want 1; findings: %+v", n, res.Findings)
	}
	for _, f := range res.Findings {
		if f.RuleID == "CX1100" && f.File != filepath.Join(dir, "app", ".env") {
			t.Errorf("CX1100 located at %s, want the file in the context", f.File)
		}
	}
	df := filepath.Join(dir, "app", "Dockerfile.prod")
	found := false
	for _, f := range res.Files {
		found = found || f == df
	}
	if !found {
		t.Errorf("files %v do not name %s", res.Files, df)
	}
}

// TestComposeBuildContextDedupe lints the directory: the walk lints
// app/Dockerfile.prod with app/ as its context, the same pair compose
// names, so the context is reported once. A second compose file building
// the same pair adds nothing either.
func TestComposeBuildContextDedupe(t *testing.T) {
	dir := composeBuildFixture(t)
	res := lintFor(t, LintOptions{Paths: []string{dir}})
	if res.InputErrors != 0 {
		t.Fatalf("input errors: %+v", res.Notifications)
	}
	if n := cxAt(res, "CX1100", ".env"); n != 1 {
		t.Fatalf("CX1100 on app/.env reported %d times, want 1; findings: %+v", n, res.Findings)
	}
	res = lintFor(t, LintOptions{Compose: []string{filepath.Join(dir, "compose.yaml")},
		Paths: []string{filepath.Join(dir, "app", "Dockerfile.prod")}})
	if n := cxAt(res, "CX1100", ".env"); n != 1 {
		t.Fatalf("with the Dockerfile given too: CX1100 reported %d times, want 1", n)
	}
}

// TestComposeBuildOtherContext: a context that is not the Dockerfile's
// directory is a different build from the walk's, and is linted too.
func TestComposeBuildOtherContext(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"compose.yaml":      "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n",
		"docker/Dockerfile": "FROM scratch\nCOPY main /main\n",
		"main":              "x",
		".env":              "API_TOKEN=abc\n",
	})
	res := lintFor(t, LintOptions{Paths: []string{dir}})
	if res.InputErrors != 0 {
		t.Fatalf("input errors: %+v", res.Notifications)
	}
	if n := cxAt(res, "CX1100", ".env"); n != 1 {
		t.Fatalf("CX1100 on .env reported %d times, want 1; findings: %+v", n, res.Findings)
	}
}

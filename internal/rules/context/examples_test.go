package context

import (
	stdctx "context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

func lintExample(t *testing.T, name string) []rule.Finding {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "examples", name)
	dfPath := filepath.Join(dir, "Dockerfile")
	src, err := os.ReadFile(dfPath)
	if err != nil {
		t.Fatal(err)
	}
	f, err := dockerfile.Parse(dfPath, src, dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := buildctx.Load("", dfPath, f, buildctx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	var out []rule.Finding
	for _, fd := range engine.LintContext(stdctx.Background(), c, reg, config.Default(), fixtureNow) {
		if fd.Suppression == nil {
			out = append(out, fd)
		}
	}
	return out
}

// TestInsecureExample checks the demo: its .env is sent (the weak
// .dockerignore only excludes node_modules) and `COPY . .` and
// `COPY .env` put it into the image.
func TestInsecureExample(t *testing.T) {
	got := lintExample(t, "insecure-node")
	want := map[string]bool{"CX1100 .env:1": false, "CX1101 Dockerfile:14": false, "CX1101 Dockerfile:15": false}
	for _, f := range got {
		k := f.RuleID + " " + filepath.Base(f.File) + ":" + strconv.Itoa(f.Range.Line)
		if _, ok := want[k]; ok {
			want[k] = true
		}
		t.Logf("%s %s:%d %s", f.RuleID, f.File, f.Range.Line, f.Message)
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("examples/insecure-node: missing %s", k)
		}
	}
}

func TestHardenedExample(t *testing.T) {
	for _, f := range lintExample(t, "hardened-node") {
		t.Errorf("examples/hardened-node: %s %s:%d %s", f.RuleID, f.File, f.Range.Line, f.Message)
	}
}

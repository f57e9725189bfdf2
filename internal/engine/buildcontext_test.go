package engine

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	ctxrules "github.com/shipshape-sec/shipshape/internal/rules/context"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

func contextFixture(t *testing.T, dockerfileSrc string, files map[string]string) (*dockerfile.File, *buildctx.Context) {
	t.Helper()
	files["Dockerfile"] = dockerfileSrc
	dir := imagetest.Tree(t, files)
	dfPath := filepath.Join(dir, "Dockerfile")
	f, err := dockerfile.Parse(dfPath, []byte(dockerfileSrc), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := buildctx.Load("", dfPath, f, buildctx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func allRules(t *testing.T) *rule.Registry {
	t.Helper()
	reg, err := rule.NewRegistry(slices.Concat(ctxrules.All(), dfrules.All())...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// open returns the unsuppressed findings of one rule.
func open(fs []rule.Finding, id string) []rule.Finding {
	var out []rule.Finding
	for _, f := range fs {
		if f.RuleID == id && f.Suppression == nil {
			out = append(out, f)
		}
	}
	return out
}

func TestContextPragmas(t *testing.T) {
	reg := allRules(t)
	src := "# shipshape file-ignore=CX1100 -- the fixture keys are fake\n" +
		"FROM alpine:3.21\n" +
		"# shipshape ignore=CX1101 -- the demo certificate ships on purpose\n" +
		"COPY certs/ /etc/certs/\n" +
		"COPY . /app/\n"
	f, c := contextFixture(t, src, map[string]string{".dockerignore": "node_modules\n", "certs/demo.pem": "x", "app.sh": "x"})
	got := LintDockerfileWithContext(context.Background(), f, c, reg, config.Default(), time.Time{})
	if n := open(got, "CX1100"); len(n) != 0 {
		t.Errorf("file-ignore in the Dockerfile must cover context files: %+v", n)
	}
	cx := open(got, "CX1101")
	if len(cx) != 1 || cx[0].Range.Line != 5 {
		t.Errorf("want only the unsuppressed COPY . /app/ at line 5, got %+v", cx)
	}
	// Both pragmas were used by context findings: no unused-suppression
	// report from the Dockerfile pass.
	if n := open(got, ruleUnusedSuppression); len(n) != 0 {
		t.Errorf("pragmas used by context findings reported unused: %+v", n)
	}
}

func TestNextLinePragmaStaysInItsFile(t *testing.T) {
	reg := allRules(t)
	// The pragma on line 1 covers line 2 of the Dockerfile, not line 1 of
	// another file.
	src := "# shipshape ignore=CX1100 -- wrong place\nFROM alpine:3.21\nCOPY app.sh /\n"
	f, c := contextFixture(t, src, map[string]string{".dockerignore": "node_modules\n", ".env": "A=1", "app.sh": "x"})
	got := LintDockerfileWithContext(context.Background(), f, c, reg, config.Default(), time.Time{})
	if n := open(got, "CX1100"); len(n) != 1 {
		t.Errorf("want the .env finding unsuppressed, got %+v", n)
	}
	if n := open(got, ruleUnusedSuppression); len(n) != 1 {
		t.Errorf("want the misplaced pragma reported unused, got %+v", n)
	}
}

func TestIgnoreFilePragmaAndSeverity(t *testing.T) {
	reg := allRules(t)
	cfg := config.Default()
	r, _ := reg.Get("CX1201")
	cfg.Rules["CX1201"] = config.RuleConfig{Severity: rule.High, Settings: map[string]any{"max-context-size-mib": 0}}
	_, c := contextFixture(t, "FROM alpine:3.21\nCOPY . /\n", map[string]string{
		".dockerignore": "# shipshape file-ignore=CX1100 -- fake keys for tests\nnode_modules\n",
		"tls/test.key":  "x",
	})
	got := LintContext(context.Background(), c, reg, cfg, time.Time{})
	if n := open(got, "CX1100"); len(n) != 0 {
		t.Errorf("ignore-file pragma must cover the context: %+v", n)
	}
	big := open(got, r.ID)
	if len(big) != 1 || big[0].Severity != rule.High {
		t.Errorf("CX1201 with a configured severity: %+v", big)
	}
}

func TestContextRulesEnabled(t *testing.T) {
	df, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	if ContextRulesEnabled(df, nil) {
		t.Error("a registry without CX rules must not walk contexts")
	}
	if !ContextRulesEnabled(allRules(t), nil) {
		t.Error("CX rules are enabled by default")
	}
}

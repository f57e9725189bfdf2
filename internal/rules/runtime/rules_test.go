package runtime

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/dockerrun"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/ruletest"
)

// fixtureNow is the clock every fixture runs with.
var fixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func TestRegistryIsValid(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reg.All() {
		if r.Kind() != "runtime" {
			t.Errorf("%s is in the runtime registry but is not an RT rule", r.ID)
		}
	}
}

// fixtureSettings reads a `# settings: {json}` comment from a fixture.
func fixtureSettings(t *testing.T, src string) map[string]any {
	for _, l := range strings.Split(src, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "# settings:"); ok {
			var m map[string]any
			if err := json.Unmarshal([]byte(v), &m); err != nil {
				t.Fatalf("bad settings comment: %v", err)
			}
			return m
		}
	}
	return nil
}

// lintYAML loads one compose fixture (without an automatic override) and
// runs the whole runtime engine on it.
func lintYAML(t *testing.T, reg *rule.Registry, r *rule.Rule, path string) ([]rule.Finding, string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p *container.Project
	if isWorkflow(data) {
		// A CI workflow: its run: steps and env: maps are read as CI
		// files are (RT1039's fixtures).
		p = dockerrun.Find(path, data, dockerrun.Workflow, dockerrun.Options{Dir: filepath.Dir(path)})
	} else if p, err = compose.Load([]string{path}, compose.Options{NoAutoOverride: true, Env: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	if r != nil {
		if s := fixtureSettings(t, string(data)); s != nil {
			cfg.Rules[r.ID] = config.RuleConfig{Settings: s}
		}
	}
	return engine.LintRuntime(context.Background(), p, reg, cfg, fixtureNow), string(data)
}

// isWorkflow reports a GitHub Actions workflow fixture (a top-level jobs:
// key) rather than a compose file.
func isWorkflow(data []byte) bool {
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "jobs:") {
			return true
		}
	}
	return false
}

// TestFixtures runs every rule's testdata/<ID>/bad_*.yaml and ok_*.yaml
// through compose.Load and the engine: each trailing `# want ID "re"`
// must be matched by a finding of that rule at that line, and the rule
// may report nothing else.
func TestFixtures(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	ruletest.Fixtures{
		Pattern: "*.yaml", Kind: "yaml", Wants: ruletest.YAMLWants,
		Lint: func(t *testing.T, r *rule.Rule, path string) ([]rule.Finding, string) {
			lint := func() ([]rule.Finding, string) { return lintYAML(t, reg, r, path) }
			if strings.HasSuffix(path, ".audit.yaml") {
				lint = func() ([]rule.Finding, string) { return lintAudit(t, reg, path) }
			}
			got, src := lint()
			checkLevels(t, reg, got)
			// Suppressed findings are not reported, so they need no want.
			var unsuppressed []rule.Finding
			for _, f := range got {
				if f.Suppression == nil {
					unsuppressed = append(unsuppressed, f)
				}
			}
			return unsuppressed, src
		},
	}.Run(t, reg.All())
}

// spec returns a compose service with every position set to its own line,
// so that table tests can check where a finding lands.
func spec(name string, mod func(s *container.Spec)) *container.Spec {
	s := &container.Spec{Name: name, Source: container.SourceCompose, Image: "app:1.0", Where: map[string]container.Pos{},
		Self: container.Pos{File: "compose.yaml", Range: lineRange(2)}}
	if mod != nil {
		mod(s)
	}
	return s
}

func project(specs ...*container.Spec) *container.Project {
	return &container.Project{Source: container.SourceCompose, File: "compose.yaml", Specs: specs,
		Where: container.Pos{File: "compose.yaml", Range: lineRange(1)}}
}

// runRule runs one rule's Check on a project.
func runRule(t *testing.T, r *rule.Rule, p *container.Project, cfgs ...*config.Config) []rule.Finding {
	t.Helper()
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	if len(cfgs) > 0 && cfgs[0] != nil {
		cfg = cfgs[0]
	}
	pass := &rule.Pass{Ctx: context.Background(), Rule: r, Now: fixtureNow, Settings: cfg.Settings(r)}
	pass.Input, pass.File = p, p.File
	_ = reg
	return rule.Run(pass)
}

// checkLevels fails for a finding whose severity its rule does not
// declare (the rule's Severity or one of its Levels): what `shipshape
// explain` says is what a finding carries.
func checkLevels(t *testing.T, reg *rule.Registry, fs []rule.Finding) {
	t.Helper()
	for _, f := range fs {
		r, ok := reg.Get(f.RuleID)
		if !ok {
			continue
		}
		if !r.Allows(f.Severity) {
			t.Errorf("%s:%d: %s finding at %s, a severity the rule does not declare: %s", f.File, f.Range.Line, f.RuleID, f.Severity, f.Message)
		}
	}
}

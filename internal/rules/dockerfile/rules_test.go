package dockerfile

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/ruletest"
)

// fixtureNow is the clock every fixture runs with, so that time-dependent
// rules (end of life) give the same answer on every day.
var fixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func TestRegistryIsValid(t *testing.T) {
	if _, err := Registry(); err != nil {
		t.Fatal(err)
	}
}

func TestNoStubs(t *testing.T) {
	stubPtr := reflect.ValueOf(stub).Pointer()
	var left []string
	for _, r := range All() {
		if r.Check != nil && reflect.ValueOf(r.Check).Pointer() == stubPtr {
			left = append(left, r.ID)
		}
		if strings.Contains(r.Rationale, "TODO") || r.Fix == "TODO" {
			left = append(left, r.ID+"(docs)")
		}
	}
	if len(left) > 0 {
		t.Fatalf("rules still stubbed: %s", strings.Join(left, " "))
	}
}

// fixtureOptions reads `# options: target=NAME build-arg=K=V` and
// `# settings: {json}` header comments from a fixture.
func fixtureOptions(t *testing.T, src string) (dockerfile.Options, map[string]any) {
	opts := dockerfile.Options{BuildArgs: map[string]string{}}
	var settings map[string]any
	for _, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		if v, ok := strings.CutPrefix(l, "# options:"); ok {
			for _, f := range strings.Fields(v) {
				switch {
				case strings.HasPrefix(f, "target="):
					opts.Target = strings.TrimPrefix(f, "target=")
				case strings.HasPrefix(f, "build-arg="):
					k, val, _ := strings.Cut(strings.TrimPrefix(f, "build-arg="), "=")
					opts.BuildArgs[k] = val
				}
			}
		}
		if v, ok := strings.CutPrefix(l, "# settings:"); ok {
			if err := json.Unmarshal([]byte(v), &settings); err != nil {
				t.Fatalf("bad settings comment: %v", err)
			}
		}
	}
	return opts, settings
}

// applyOnline reads `# online: [{BaseUpdate json}]` header comments: what
// `lint --online` would have learned from a registry, set on each stage
// whose pinned digest is the entry's Used (the engine's side is tested
// against a loopback registry in internal/engine).
func applyOnline(t *testing.T, f *dockerfile.File, src string) {
	for _, l := range strings.Split(src, "\n") {
		v, ok := strings.CutPrefix(strings.TrimSpace(l), "# online:")
		if !ok {
			continue
		}
		var ups []dockerfile.BaseUpdate
		if err := json.Unmarshal([]byte(v), &ups); err != nil {
			t.Fatalf("bad online comment: %v", err)
		}
		for _, st := range f.Stages {
			b, ok := st.Image()
			for i := range ups {
				if ok && b.Digest == ups[i].Used {
					st.Update = &ups[i]
				}
			}
		}
	}
}

// LintFixture runs the full engine (every rule, suppressions) on one
// fixture with the given rule's settings.
func lintFixture(t *testing.T, reg *rule.Registry, r *rule.Rule, path string) ([]rule.Finding, string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts, settings := fixtureOptions(t, string(data))
	f, err := dockerfile.Parse(filepath.Base(path), data, opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	if settings != nil {
		cfg.Rules[r.ID] = config.RuleConfig{Settings: settings}
	}
	applyOnline(t, f, string(data))
	return engine.LintDockerfile(context.Background(), f, reg, cfg, fixtureNow), string(data)
}

func TestFixtures(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	ruletest.Fixtures{
		Pattern: "*", Kind: "Dockerfile", Wants: ruletest.DockerfileWants, CheckSeverity: true,
		Lint: func(t *testing.T, r *rule.Rule, path string) ([]rule.Finding, string) {
			return lintFixture(t, reg, r, path)
		},
	}.Run(t, reg.All())
}

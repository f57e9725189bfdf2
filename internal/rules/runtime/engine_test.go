package runtime

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// TestEngineOverrideFiles checks that findings land in the file that set
// the value and that pragmas only apply within their own file.
func TestEngineOverrideFiles(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	over := container.Pos{File: "compose.override.yaml", Range: loc.Line(3)}
	p := project(spec("app", func(s *container.Spec) {
		s.Privileged = true
		s.Where[container.KeyPrivileged] = over
	}), spec("db", func(s *container.Spec) {
		s.PidMode = "host"
		s.Where[container.KeyPid] = container.Pos{File: "compose.yaml", Range: loc.Line(3)}
	}))
	p.Comments = []container.Comment{
		// Line 3 of the base file: covers the base file's pid key only.
		{File: "compose.yaml", Line: 3, Text: "# shipshape ignore=RT1003,RT1016 -- test", Trailing: true},
		{File: "compose.yaml", Line: 1, Text: "# shipshape file-ignore=RT1010 -- everything writable here"},
		{File: "compose.yaml", Line: 5, Text: "# shipshape ignore=RT1009"},
		{File: "compose.override.yaml", Line: 9, Text: "# shipshape ignore=RT1015 -- nothing here"},
	}
	p.Errors = []container.LoadError{{Pos: container.Pos{File: "compose.override.yaml", Range: loc.Line(7)}, Message: "services.app.ports must be a list"}}
	cfg := config.Default()
	cfg.Rules["RT1016"] = config.RuleConfig{Severity: rule.Low}
	got := engine.LintRuntime(context.Background(), p, reg, cfg, fixtureNow)

	find := func(id, file string, line int) *rule.Finding {
		for i := range got {
			if got[i].RuleID == id && got[i].File == file && (line == 0 || got[i].Range.Line == line) {
				return &got[i]
			}
		}
		return nil
	}
	if f := find("RT1003", "compose.override.yaml", 3); f == nil || f.Suppression != nil {
		t.Errorf("RT1003 in the override file must be reported there and not suppressed by the base file's pragma: %+v", f)
	}
	if f := find("RT1016", "compose.yaml", 3); f == nil || f.Suppression == nil || f.Suppression.Kind != "inline" {
		t.Errorf("RT1016 must be suppressed inline: %+v", f)
	} else if f.Severity != rule.Low {
		t.Errorf("RT1016 severity override not applied: %v", f.Severity)
	}
	for _, f := range got {
		if f.RuleID == "RT1010" && f.Suppression == nil {
			t.Errorf("file-ignore=RT1010 must suppress %+v", f)
		}
	}
	if f := find("RT1000", "compose.override.yaml", 7); f == nil {
		t.Errorf("load error not reported as RT1000 at its place")
	}
	if f := find("RT1002", "compose.yaml", 5); f == nil {
		t.Errorf("pragma without reason not reported")
	}
	if f := find("RT1001", "compose.override.yaml", 9); f == nil {
		t.Errorf("unused pragma in the override file not reported there")
	}
	// The base file's pragma names RT1003 too, which matched nothing in
	// the base file: it is unused there.
	if f := find("RT1001", "compose.yaml", 3); f != nil {
		t.Errorf("pragma that suppressed RT1016 must not be reported unused: %+v", f)
	}
}

// TestEngineComposeOverride loads a compose file with an override that
// turns on privileged mode: the finding belongs to the override file, and a
// pragma there (not in the base file) suppresses it.
func TestEngineComposeOverride(t *testing.T) {
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := imagetest.Tree(t, map[string]string{
		"compose.yaml":          "services:\n  app:\n    image: app:1.0\n    pid: host\n",
		"compose.override.yaml": "services:\n  app:\n    privileged: true\n    ipc: host # shipshape ignore=RT1017 -- shared memory with the host agent\n",
	})
	base := filepath.Join(dir, "compose.yaml")
	over := filepath.Join(dir, "compose.override.yaml")
	p, err := compose.Load([]string{base, over}, compose.Options{Env: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	got := engine.LintRuntime(context.Background(), p, reg, config.Default(), fixtureNow)
	var priv, pid, ipc *rule.Finding
	for i, f := range got {
		switch f.RuleID {
		case "RT1003":
			priv = &got[i]
		case "RT1016":
			pid = &got[i]
		case "RT1017":
			ipc = &got[i]
		}
	}
	if priv == nil || filepath.Base(priv.File) != "compose.override.yaml" || priv.Range.Line != 3 {
		t.Errorf("RT1003 should be at compose.override.yaml:3, got %+v", priv)
	}
	if pid == nil || filepath.Base(pid.File) != "compose.yaml" || pid.Range.Line != 4 {
		t.Errorf("RT1016 should be at compose.yaml:4, got %+v", pid)
	}
	if ipc == nil || ipc.Suppression == nil {
		t.Errorf("RT1017 should be suppressed by the override file's pragma, got %+v", ipc)
	}
}

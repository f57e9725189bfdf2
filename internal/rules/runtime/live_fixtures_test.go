package runtime

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// lintAudit runs an audit fixture (testdata/<ID>/*.audit.yaml): a
// live.Snapshot written as YAML, the engine's answers as the Engine API
// gives them. It is mapped by live.Build, the code shipshape audit uses,
// and linted by the engine; since live findings are located at the
// container ("container/NAME", line 1) or the daemon, each is moved to the
// fixture line that stands for it, where its `# want` sits: the line of
// the container's inspect Name, the line of `info:` for the daemon, the
// line of `daemonConfig:` for a daemon.json key.
func lintAudit(t *testing.T, reg *rule.Registry, path string) ([]rule.Finding, string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var raw any
	if err := root.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	var snap live.Snapshot
	if err := json.Unmarshal(js, &snap); err != nil {
		t.Fatalf("%s: not a snapshot: %v", path, err)
	}
	p, errs := live.Build(&snap)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", path, errs)
	}
	lines := fixtureLines(root.Content[0], snap)
	got := engine.LintRuntime(context.Background(), p, reg, config.Default(), fixtureNow)
	for i := range got {
		f := &got[i]
		l, ok := lines[f.File]
		if !ok {
			t.Fatalf("%s: finding in %s, which the fixture does not name: %s", path, f.File, f.Message)
		}
		f.Range.Line, f.Range.EndLine = l, l
	}
	return got, string(data)
}

// fixtureLines maps the pseudo-files of live findings to fixture lines.
func fixtureLines(top *yaml.Node, snap live.Snapshot) map[string]int {
	out := map[string]int{}
	get := func(m *yaml.Node, key string) (*yaml.Node, int) {
		for i := 0; m != nil && i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1], m.Content[i].Line
			}
		}
		return nil, 0
	}
	if _, l := get(top, "info"); l > 0 {
		var info struct{ Name string }
		_ = json.Unmarshal(snap.Info, &info)
		name := info.Name
		if name == "" {
			name = "engine"
		}
		out["daemon/"+name] = l
	}
	if _, l := get(top, "daemonConfig"); l > 0 && snap.DaemonConfig != nil {
		out[snap.DaemonConfig.Path] = l
	}
	cs, _ := get(top, "containers")
	for _, c := range cs.Content {
		in, _ := get(c, "inspect")
		if n, l := get(in, "Name"); n != nil {
			out[live.ContainerFile(strings.TrimPrefix(n.Value, "/"))] = l
		}
	}
	return out
}

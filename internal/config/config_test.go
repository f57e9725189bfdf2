package config_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

const schemaPath = "../../docs/shipshape.schema.json"

func registry(t *testing.T) *rule.Registry {
	t.Helper()
	reg, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://github.com/shipshape-sec/shipshape/blob/main/docs/shipshape.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return sch
}

// validateYAML checks YAML against the schema the way an editor would: as
// the JSON the YAML denotes.
func validateYAML(sch *jsonschema.Schema, data []byte) error {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestSchemaExamples(t *testing.T) {
	sch := compileSchema(t)
	reg := registry(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if len(files) < 10 {
		t.Fatalf("only %d config examples in testdata", len(files))
	}
	for _, p := range files {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			serr := validateYAML(sch, data)
			_, perr := config.Parse(data, reg)
			switch {
			case strings.HasPrefix(name, "good_"):
				if serr != nil {
					t.Errorf("schema rejects a good example: %v", serr)
				}
				if perr != nil {
					t.Errorf("Parse rejects a good example: %v", perr)
				}
			case strings.HasPrefix(name, "bad_"):
				if serr == nil {
					t.Error("schema accepts a bad example")
				}
				if perr == nil {
					t.Error("Parse accepts a bad example")
				}
			case strings.HasPrefix(name, "parseonly_"):
				// Well-formed, but names a rule or setting that does not
				// exist: only shipshape, which knows the catalogue, can tell.
				if serr != nil {
					t.Errorf("schema rejects a well-formed example: %v", serr)
				}
				if perr == nil {
					t.Error("Parse accepts an unknown rule or setting")
				}
			default:
				t.Fatalf("example %s must start with good_, bad_ or parseonly_", name)
			}
		})
	}
}

// TestSchemaAcceptsEverySetting builds a config that sets every declared
// setting of every rule to a value of its type; the schema and Parse must
// both accept it, so the schema's generic setting shape covers the catalogue.
func TestSchemaAcceptsEverySetting(t *testing.T) {
	sch := compileSchema(t)
	reg := registry(t)
	rules := map[string]any{}
	for _, r := range reg.All() {
		body := map[string]any{"enabled": true, "severity": r.Severity.String()}
		for _, s := range r.Settings {
			switch s.Type {
			case "bool":
				body[s.Name] = true
			case "int":
				body[s.Name] = 3
			case "string":
				body[s.Name] = "x"
			case "strings":
				body[s.Name] = []string{"a", "b"}
			}
		}
		rules[r.ID] = body
	}
	data, err := yaml.Marshal(map[string]any{"version": 1, "rules": rules})
	if err != nil {
		t.Fatal(err)
	}
	if err := validateYAML(sch, data); err != nil {
		t.Errorf("schema: %v", err)
	}
	if _, err := config.Parse(data, reg); err != nil {
		t.Errorf("Parse: %v", err)
	}
}

// TestDocsExamples validates every yaml block in docs/config.md.
func TestDocsExamples(t *testing.T) {
	sch := compileSchema(t)
	reg := registry(t)
	doc, err := os.ReadFile("../../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("docs/config.md has no yaml example")
	}
	for i, b := range blocks {
		if !bytes.Contains(b[1], []byte("version: 1")) {
			continue // a fragment, not a whole file
		}
		if err := validateYAML(sch, b[1]); err != nil {
			t.Errorf("example %d: schema: %v", i+1, err)
		}
		if _, err := config.Parse(b[1], reg); err != nil {
			t.Errorf("example %d: Parse: %v", i+1, err)
		}
	}
}

func TestParseSemantics(t *testing.T) {
	reg := registry(t)
	data, err := os.ReadFile(filepath.Join("testdata", "good_full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := config.Parse(data, reg)
	if err != nil {
		t.Fatal(err)
	}
	get := func(id string) *rule.Rule {
		r, ok := reg.Get(id)
		if !ok {
			t.Fatalf("no rule %s", id)
		}
		return r
	}
	for id, want := range map[string]bool{"DF1608": false, "DF1812": false, "DF1901": true, "DF1201": false, "DF1806": true, "DF1000": true} {
		if got := c.Enabled(get(id)); got != want {
			t.Errorf("Enabled(%s) = %v, want %v", id, got, want)
		}
	}
	if got := c.SeverityOf(get("DF1002")); got != rule.High {
		t.Errorf("SeverityOf(DF1002) = %v, want high", got)
	}
	if got := c.SeverityOf(get("DF1806")); got != rule.Medium {
		t.Errorf("SeverityOf(DF1806) = %v, want medium (case-insensitive)", got)
	}
	if got := c.SeverityOf(get("DF1000")); got != rule.High {
		t.Errorf("SeverityOf(DF1000) = %v, want its default", got)
	}
	if c.FailOn != "medium" || c.UnknownSeverity != rule.High {
		t.Errorf("FailOn %q UnknownSeverity %v", c.FailOn, c.UnknownSeverity)
	}
	// Later keys win: enable after disable.
	c, err = config.Parse([]byte("version: 1\ndisable: [DF1000]\nenable: [DF1000]\n"), reg)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Enabled(get("DF1000")) {
		t.Error("enable does not override disable")
	}
	// An empty file is not a config: version is required.
	if _, err := config.Parse(nil, reg); err == nil {
		t.Error("empty config accepted")
	}
	d := config.Default()
	if !d.Enabled(get("DF1000")) || d.SeverityOf(get("DF1002")) != rule.Medium || d.Excluded("x") {
		t.Error("default config changes rules")
	}
}

// tree writes files under a temp dir and returns it.
func TestDiscovery(t *testing.T) {
	reg := registry(t)
	dir := imagetest.Tree(t, map[string]string{
		".shipshape.yaml":        "version: 1\nfail-on: low\n",
		"repo/.git/HEAD":         "ref: refs/heads/main\n",
		"repo/.shipshape.yaml":   "version: 1\nfail-on: medium\n",
		"repo/a/Dockerfile":      "FROM scratch\n",
		"repo/b/.shipshape.yml":  "version: 1\nfail-on: critical\n",
		"repo/b/c/d/Dockerfile":  "FROM scratch\n",
		"norepo/x/Dockerfile":    "FROM scratch\n",
		"repo2/.git/HEAD":        "",
		"repo2/Dockerfile":       "FROM scratch\n",
		"broken/.shipshape.yaml": "version: 1\ndisable: [NOPE]\n",
		"broken/sub/Dockerfile":  "FROM scratch\n",
		"gitfile/.git":           "gitdir: ../elsewhere\n",
		"gitfile/svc/Dockerfile": "FROM scratch\n",
	})
	f := config.NewFinder(reg)
	cases := []struct{ path, failOn, cfg string }{
		{"repo/a/Dockerfile", "medium", "repo/.shipshape.yaml"},
		{"repo/b/c/d/Dockerfile", "critical", "repo/b/.shipshape.yml"},
		{"repo/b/c/d", "critical", "repo/b/.shipshape.yml"},
		{"norepo/x/Dockerfile", "low", ".shipshape.yaml"},
		// .git stops the walk: the config above the repository is not used.
		{"repo2/Dockerfile", "", ""},
		// A .git file (worktree, submodule) marks a repository root too.
		{"gitfile/svc/Dockerfile", "", ""},
	}
	for _, c := range cases {
		got, err := f.For(filepath.Join(dir, c.path))
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		want := ""
		if c.cfg != "" {
			want = filepath.Join(dir, c.cfg)
		}
		if got.FailOn != c.failOn || got.Path != want {
			t.Errorf("%s: config %q fail-on %q, want %q fail-on %q", c.path, got.Path, got.FailOn, want, c.failOn)
		}
	}
	if _, err := f.For(filepath.Join(dir, "broken", "sub", "Dockerfile")); err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("an invalid discovered config must be an error naming the problem, got %v", err)
	}
	// --config turns discovery off.
	fixed, err := config.Load(filepath.Join(dir, "repo", "b", ".shipshape.yml"), reg)
	if err != nil {
		t.Fatal(err)
	}
	f.Fixed = fixed
	if got, _ := f.For(filepath.Join(dir, "repo", "a", "Dockerfile")); got != fixed {
		t.Error("Fixed config not used")
	}
}

func TestExclude(t *testing.T) {
	reg := registry(t)
	dir := imagetest.Tree(t, map[string]string{
		"proj/.shipshape.yaml": "version: 1\nexclude:\n  - legacy\n  - \"**/*.old.Dockerfile\"\n  - tmp/*\n  - \"!tmp/keep\"\n",
	})
	c, err := config.Load(filepath.Join(dir, "proj", ".shipshape.yaml"), reg)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"legacy/Dockerfile":      true,
		"legacy/a/b/Dockerfile":  true,
		"svc/app.old.Dockerfile": true,
		"app.old.Dockerfile":     true,
		"tmp/Dockerfile":         true,
		"tmp/keep":               false,
		"Dockerfile":             false,
		"svc/Dockerfile":         false,
		"legacyish/Dockerfile":   false,
		"../proj2/legacy/x":      false,
	} {
		if got := c.Excluded(filepath.Join(dir, "proj", filepath.FromSlash(path))); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", path, got, want)
		}
	}
	// Patterns are relative to the config file, not the working directory.
	wd, _ := os.Getwd()
	if c.Excluded(filepath.Join(wd, "legacy", "Dockerfile")) {
		t.Error("pattern matched outside the config's directory")
	}
	if _, err := config.Parse([]byte("version: 1\nexclude: [\"[\"]\n"), reg); err == nil {
		t.Error("invalid exclude pattern accepted")
	}
}

func TestSettings(t *testing.T) {
	reg := registry(t)
	for _, r := range reg.All() {
		for _, s := range r.Settings {
			var val string
			switch s.Type {
			case "bool":
				val = "true"
			case "int":
				val = "7"
			case "string":
				val = "hello"
			case "strings":
				val = "[a, b]"
			}
			y := "version: 1\nrules:\n  " + r.ID + ":\n    " + s.Name + ": " + val + "\n"
			c, err := config.Parse([]byte(y), reg)
			if err != nil {
				t.Errorf("%s.%s: %v", r.ID, s.Name, err)
				continue
			}
			st := c.Settings(r)
			switch s.Type {
			case "bool":
				if !st.Bool(s.Name) {
					t.Errorf("%s.%s: bool not read", r.ID, s.Name)
				}
			case "int":
				if st.Int(s.Name) != 7 {
					t.Errorf("%s.%s: int not read", r.ID, s.Name)
				}
			case "string":
				if st.String(s.Name) != "hello" {
					t.Errorf("%s.%s: string not read", r.ID, s.Name)
				}
			case "strings":
				if got := st.Strings(s.Name); len(got) != 2 || got[0] != "a" {
					t.Errorf("%s.%s: list not read: %v", r.ID, s.Name, got)
				}
			}
			// A value of the wrong type is rejected.
			wrong := "version: 1\nrules:\n  " + r.ID + ":\n    " + s.Name + ": {a: 1}\n"
			if _, err := config.Parse([]byte(wrong), reg); err == nil {
				t.Errorf("%s.%s: a map value was accepted", r.ID, s.Name)
			}
		}
	}
}

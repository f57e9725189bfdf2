package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rules/all"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	var es []imagetest.Entry
	for name, text := range files {
		e := imagetest.File(name, text)
		if strings.HasPrefix(text, "#!") {
			e = e.WithMode(0o755)
		}
		es = append(es, e)
	}
	return imagetest.TreeOf(t, es...)
}

func TestDiscoverKinds(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"Dockerfile":                     "FROM scratch\n",
		"compose.yaml":                   "services:\n  web:\n    image: x\n",
		"compose.override.yaml":          "services:\n  web:\n    privileged: true\n",
		"deploy/docker-compose.prod.yml": "services:\n  db:\n    image: y\n",
		"stack.yml":                      "services:\n  z:\n    image: z\n",
		"docker-stack.yml":               "version: \"3.8\"\nservices:\n  z:\n    image: z\n",
		"ext/curator-compose.yml":        "services:\n  c:\n    image: c\n",
		"ci/overlay.yaml":                "services:\n  z:\n    environment:\n      A: b\n",
		"helm/values.yaml":               "replicaCount: 1\nservices:\n  api:\n    type: ClusterIP\n",
		"ci/include.yml":                 "services:\n  - docker:dind\n",
		"run.sh":                         "docker run x\n",
		"bin/start":                      "#!/bin/bash\ndocker run y\n",
		"bin/notes":                      "hello\n",
		"Makefile":                       "all:\n\tdocker run z\n",
		".github/workflows/ci.yml":       "jobs: {}\n",
		".gitlab-ci.yml":                 "a:\n  script: [ls]\n",
		".dockerignore":                  ".git\n",
		"node_modules/x/compose.yaml":    "services: {}\n",
		"inspect.json":                   `[{"HostConfig": {}}]`,
	})
	inputs, errs := Discover([]string{dir}, "", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := map[string]string{}
	for _, in := range inputs {
		rel, _ := filepath.Rel(dir, in.Path)
		got[filepath.ToSlash(rel)] = in.Kind
	}
	want := map[string]string{
		"Dockerfile": KindDockerfile, "compose.yaml": KindCompose, "deploy/docker-compose.prod.yml": KindCompose,
		"stack.yml": KindCompose, "docker-stack.yml": KindCompose, "ext/curator-compose.yml": KindCompose, "ci/overlay.yaml": KindCompose,
		"run.sh": KindScript, "bin/start": KindScript, "Makefile": KindScript, ".github/workflows/ci.yml": KindScript,
		".gitlab-ci.yml": KindScript,
	}
	if len(got) != len(want) {
		t.Errorf("walk found %v\nwant %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: kind %q, want %q", k, got[k], v)
		}
	}
	// Given explicitly, files are typed by name then content.
	for name, kind := range map[string]string{
		"stack.yml": KindCompose, "inspect.json": KindInspect, ".dockerignore": KindDockerignore,
		"compose.override.yaml": KindCompose, "bin/start": KindScript,
	} {
		ins, errs := Discover([]string{filepath.Join(dir, name)}, "", nil)
		if len(errs) > 0 || len(ins) != 1 || ins[0].Kind != kind {
			t.Errorf("%s: %+v %v, want %s", name, ins, errs, kind)
		}
	}
	if _, errs := Discover([]string{filepath.Join(dir, "bin/notes")}, "", nil); len(errs) != 1 {
		t.Errorf("notes: want a not-recognised error, got %v", errs)
	}
	// stdin is typed by content.
	for text, kind := range map[string]string{
		"services:\n  a:\n    image: x\n": KindCompose,
		`{"Id": "1", "HostConfig": {}}`:   KindInspect,
		"#!/bin/sh\ndocker run x\n":       KindScript,
		"FROM alpine\n":                   KindDockerfile,
	} {
		ins, _ := Discover([]string{"-"}, "", strings.NewReader(text))
		if len(ins) != 1 || ins[0].Kind != kind {
			t.Errorf("stdin %q: %+v, want %s", text, ins, kind)
		}
	}
}

func lintFor(t *testing.T, o LintOptions) *Result {
	t.Helper()
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	o.Rules, o.Configs, o.Now = reg, config.NewFinder(reg), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	return Lint(context.Background(), o)
}

func TestLintRuntimeInputs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"compose.yaml":          "services:\n  web:\n    image: x\n",
		"compose.override.yaml": "services:\n  web:\n    privileged: true\n",
		"run.sh":                "#!/bin/sh\ndocker run --privileged img\n",
		"quiet.sh":              "echo no containers here\n",
		"broken/compose.yaml":   "services:\n  web: [\n",
		"other.yaml":            "services:\n  o:\n    image: o\n    privileged: true\n",
		"compose.extras.yaml":   "# an overlay left empty on purpose\n",
		"compose-lint.yml":      "rules:\n  CL-0003:\n    enabled: false\n",
	})
	res := lintFor(t, LintOptions{Paths: []string{dir}})
	if res.InputErrors != 0 {
		t.Fatalf("input errors: %+v", res.Notifications)
	}
	var files []string
	for _, f := range res.Files {
		rel, _ := filepath.Rel(dir, f)
		files = append(files, filepath.ToSlash(rel))
	}
	slices.Sort(files)
	// compose.extras.yaml (empty) and compose-lint.yml (a linter's
	// configuration) are taken by name and dropped: no compose content.
	want := []string{"broken/compose.yaml", "compose.override.yaml", "compose.yaml", "other.yaml", "run.sh"}
	if !slices.Equal(files, want) {
		t.Errorf("files %v, want %v", files, want)
	}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(dir, f.File)
		seen[filepath.ToSlash(rel)+" "+f.RuleID] = true
	}
	for _, k := range []string{"compose.override.yaml RT1003", "run.sh RT1003", "broken/compose.yaml RT1000", "other.yaml RT1003"} {
		if !seen[k] {
			t.Errorf("missing finding %s in %v", k, seen)
		}
	}

	// --compose merges in order; --docker-run lints a command line.
	res = lintFor(t, LintOptions{
		Compose:  []string{filepath.Join(dir, "compose.yaml"), filepath.Join(dir, "other.yaml")},
		Commands: []string{"docker run --pid host alpine", "not docker"},
	})
	if res.InputErrors != 1 {
		t.Errorf("want one input error for the bad command, got %+v", res.Notifications)
	}
	seen = map[string]bool{}
	for _, f := range res.Findings {
		seen[filepath.Base(f.File)+" "+f.RuleID] = true
	}
	for _, k := range []string{"other.yaml RT1003", "docker-run RT1016"} {
		if !seen[k] {
			t.Errorf("missing finding %s in %v", k, seen)
		}
	}
}

func TestUnreadableInputStillLintsOthers(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a/compose.yaml": "services:\n  web:\n    image: x\n    privileged: true\n"})
	res := lintFor(t, LintOptions{Paths: []string{filepath.Join(dir, "a/compose.yaml"), filepath.Join(dir, "missing.yaml")}})
	if res.InputErrors != 1 || len(res.Findings) == 0 {
		t.Errorf("missing file: input errors %d, findings %d", res.InputErrors, len(res.Findings))
	}
	// A merged file that is missing is an input error too.
	res = lintFor(t, LintOptions{Compose: []string{filepath.Join(dir, "a/compose.yaml"), filepath.Join(dir, "nope.yaml")}})
	if res.InputErrors != 1 || !strings.Contains(res.Notifications[0].Message, "nope.yaml") {
		t.Errorf("missing merged file: %+v", res.Notifications)
	}
	if os.Geteuid() == 0 {
		t.Skip("skipping the permission case: root reads any file")
	}
	dir = writeFiles(t, map[string]string{
		"a/compose.yaml": "services:\n  web:\n    image: x\n    privileged: true\n",
		"b/compose.yaml": "services:\n  web:\n    image: x\n",
	})
	if err := os.Chmod(filepath.Join(dir, "b/compose.yaml"), 0); err != nil {
		t.Fatal(err)
	}
	res = lintFor(t, LintOptions{Paths: []string{dir}})
	if res.InputErrors != 1 || len(res.Findings) == 0 {
		t.Errorf("input errors %d, findings %d", res.InputErrors, len(res.Findings))
	}
}

// TestDiscoverHandsDockerfilesEarly: Lint lints Dockerfiles while the walk
// goes on. Each is handed over once the listing holds every directory of
// its build context (its own directory and all below, but the skipped
// ones), with a ticket that stays with it through the walk's sorting;
// compose files and scripts, which must wait for the walk, are not handed
// over; and the inputs are those and in the order of a walk without early.
func TestDiscoverHandsDockerfilesEarly(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"Dockerfile":                 "FROM scratch\n",
		"app/Dockerfile":             "FROM scratch\n",
		"app/web/Dockerfile.dev":     "FROM scratch\n",
		"app/web/static/css/a.css":   "a{}\n",
		"app/web/static/js/deep/b.j": "x\n",
		"app/compose.yaml":           "services:\n  web:\n    build: web\n",
		"app/zz/Containerfile":       "FROM scratch\n",
		"b/x.Dockerfile":             "FROM scratch\n",
		"b/run.sh":                   "docker run x\n",
		"node_modules/m/Dockerfile":  "FROM scratch\n",
	})
	// Relative paths, as a user gives them, make the listing work too.
	t.Chdir(dir)
	lst := config.NewListing()
	given := map[int]string{}
	early := func(in Input) int {
		if in.Kind != KindDockerfile {
			t.Errorf("%s (%s) handed over before the walk ended", in.Path, in.Kind)
		}
		root := filepath.Dir(in.Path)
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			if skipDirs[d.Name()] && p != root {
				return filepath.SkipDir
			}
			if _, _, known := lst.Known(filepath.Join(p, "no-such-file")); !known {
				t.Errorf("%s handed over before %s, in its build context, was listed", in.Path, p)
			}
			return nil
		})
		given[len(given)] = in.Path
		return len(given) - 1
	}
	inputs, tickets, errs := discover([]string{"."}, "", nil, lst, early)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	plain, _, _ := discover([]string{"."}, "", nil, nil, nil)
	var paths, plainPaths []string
	for i, in := range inputs {
		paths = append(paths, in.Path)
		switch {
		case in.Kind == KindDockerfile && (tickets[i] < 0 || given[tickets[i]] != in.Path):
			t.Errorf("%s: ticket %d, which was given for %q", in.Path, tickets[i], given[tickets[i]])
		case in.Kind != KindDockerfile && tickets[i] != -1:
			t.Errorf("%s: ticket %d, want -1 (not handed over)", in.Path, tickets[i])
		}
	}
	for _, in := range plain {
		plainPaths = append(plainPaths, in.Path)
	}
	want := []string{"Dockerfile", "app/Dockerfile", "app/compose.yaml", "app/web/Dockerfile.dev", "app/zz/Containerfile", "b/run.sh", "b/x.Dockerfile"}
	if !slices.Equal(paths, want) || !slices.Equal(plainPaths, want) {
		t.Errorf("inputs %v, without early %v; want %v", paths, plainPaths, want)
	}
	if len(given) != 5 {
		t.Errorf("%d Dockerfiles handed over, want 5: %v", len(given), given)
	}
}

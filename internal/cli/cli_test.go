package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/cli"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

// result is what one in-process run of the CLI produced.
type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Execute(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func (r result) String() string {
	return "exit " + string(rune('0'+r.code)) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got %s", code, r)
	}
}

// jsonOut is the part of the JSON report the tests read.
type jsonOut struct {
	SchemaVersion string `json:"schemaVersion"`
	Summary       struct {
		Files    int    `json:"files"`
		Findings int    `json:"findings"`
		Gate     string `json:"gate"`
		Failed   bool   `json:"failed"`
	} `json:"summary"`
	Findings []struct {
		RuleID     string          `json:"ruleId"`
		Severity   string          `json:"severity"`
		File       string          `json:"file"`
		Line       int             `json:"line"`
		Message    string          `json:"message"`
		Suppressed json.RawMessage `json:"suppressed"`
	} `json:"findings"`
	Notifications []struct {
		File    string `json:"file"`
		Message string `json:"message"`
	} `json:"notifications"`
}

func decodeJSON(t *testing.T, r result) jsonOut {
	t.Helper()
	var j jsonOut
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := json.Unmarshal([]byte(r.stdout), &j); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, r)
	}
	return j
}

// ruleIDs returns the rule IDs found in file (any file when file is "").
func (j jsonOut) ruleIDs(file string) []string {
	var ids []string
	for _, f := range j.Findings {
		if file == "" || f.File == file {
			ids = append(ids, f.RuleID)
		}
	}
	return ids
}

func (j jsonOut) files() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range j.Findings {
		if !seen[f.File] {
			seen[f.File] = true
			out = append(out, filepath.ToSlash(f.File))
		}
	}
	sort.Strings(out)
	return out
}

// requireImplemented skips a test that depends on a rule still being a stub.
func requireImplemented(t *testing.T, id string) {
	t.Helper()
	for _, r := range dfrules.All() {
		if r.ID == id && (strings.Contains(r.Rationale, "TODO") || r.Fix == "TODO") {
			t.Skipf("%s is still a stub", id)
		}
	}
}

func td(parts ...string) string { return filepath.Join(append([]string{"testdata"}, parts...)...) }

func TestExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"clean file", []string{"lint", td("clean", "Dockerfile")}, 0},
		{"clean directory", []string{"lint", td("clean")}, 0},
		{"parse error is a high finding", []string{"lint", td("parse_error", "Dockerfile")}, 1},
		{"fail-on none", []string{"lint", "--fail-on", "none", td("parse_error", "Dockerfile")}, 0},
		{"fail-on critical with only high", []string{"lint", "--fail-on", "critical", td("parse_error", "Dockerfile")}, 0},
		{"medium below default gate", []string{"lint", td("malformed", "Dockerfile")}, 0},
		{"medium at fail-on medium", []string{"lint", "--fail-on", "medium", td("malformed", "Dockerfile")}, 1},
		{"fail-on is case-insensitive", []string{"lint", "--fail-on", "MEDIUM", td("malformed", "Dockerfile")}, 1},
		{"severity filter hides the gating finding", []string{"lint", "--severity", "medium,low", td("parse_error", "Dockerfile")}, 0},
		{"severity filter keeps the gating finding", []string{"lint", "--severity", "high", td("parse_error", "Dockerfile")}, 1},
		{"severity filter below gate", []string{"lint", "--severity", "medium", "--fail-on", "medium", td("malformed", "Dockerfile")}, 1},
		{"nonexistent path", []string{"lint", td("does-not-exist")}, 2},
		{"unknown flag", []string{"lint", "--no-such-flag", td("clean")}, 2},
		{"unknown format", []string{"lint", "--format", "xml", td("clean")}, 2},
		{"unknown severity", []string{"lint", "--severity", "severe", td("clean")}, 2},
		{"unknown fail-on", []string{"lint", "--fail-on", "bad", td("clean")}, 2},
		{"unknown type", []string{"lint", "--type", "bogus", td("clean")}, 2},
		{"bad build-arg", []string{"lint", "--build-arg", "NOEQUALS", td("clean")}, 2},
		{"unknown target", []string{"lint", "--target", "nope", td("target", "Dockerfile")}, 2},
		{"known target", []string{"lint", "--target", "runtime", td("target", "Dockerfile")}, 0},
		{"unknown command", []string{"frobnicate"}, 2},
		{"explain needs an id", []string{"explain"}, 2},
		{"missing config file", []string{"lint", "--config", td("nope.yaml"), td("clean")}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, run(t, "", c.args...), c.code)
		})
	}
}

func TestParseErrorIsFinding(t *testing.T) {
	r := run(t, "", "lint", "-f", "json", td("parse_error", "Dockerfile"))
	wantCode(t, r, 1)
	j := decodeJSON(t, r)
	found := false
	for _, f := range j.Findings {
		if f.RuleID == "DF1000" {
			found = true
			if f.Line != 3 || f.Severity != "high" {
				t.Errorf("DF1000 at line %d severity %s, want line 3 high", f.Line, f.Severity)
			}
		}
	}
	if !found {
		t.Fatalf("no DF1000 finding:\n%s", r)
	}
	if len(j.Notifications) != 0 {
		t.Errorf("a parse error must not be a notification: %+v", j.Notifications)
	}
}

func TestNonexistentPathNamed(t *testing.T) {
	p := td("does-not-exist")
	r := run(t, "", "lint", p)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, p) {
		t.Errorf("stderr does not name %s:\n%s", p, r)
	}
}

func TestMissingFileAmongGoodOnes(t *testing.T) {
	missing := td("missing", "Dockerfile")
	for _, format := range []string{"json", "sarif", "text"} {
		t.Run(format, func(t *testing.T) {
			r := run(t, "", "lint", "-f", format, td("parse_error", "Dockerfile"), missing, td("malformed", "Dockerfile"))
			wantCode(t, r, 2) // 2 outranks 1
			if !strings.Contains(r.stderr, missing) {
				t.Errorf("stderr does not report %s:\n%s", missing, r)
			}
			switch format {
			case "json":
				j := decodeJSON(t, r)
				if got := j.files(); !slices.Equal(got, []string{"testdata/malformed/Dockerfile", "testdata/parse_error/Dockerfile"}) {
					t.Errorf("findings in %v, want both good files", got)
				}
				if len(j.Notifications) != 1 || !strings.Contains(j.Notifications[0].Message, "missing") {
					t.Errorf("want one notification naming the missing file, got %+v", j.Notifications)
				}
			case "sarif":
				var log struct {
					Runs []struct {
						Results     []json.RawMessage `json:"results"`
						Invocations []struct {
							ExecutionSuccessful bool              `json:"executionSuccessful"`
							Notifications       []json.RawMessage `json:"toolExecutionNotifications"`
						} `json:"invocations"`
					} `json:"runs"`
				}
				if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
					t.Fatalf("stdout is not SARIF: %v", err)
				}
				inv := log.Runs[0].Invocations[0]
				if inv.ExecutionSuccessful || len(inv.Notifications) != 1 {
					t.Errorf("want a failed invocation with one notification, got %+v", inv)
				}
				if len(log.Runs[0].Results) < 2 {
					t.Errorf("want the good files' results, got %d", len(log.Runs[0].Results))
				}
			case "text":
				if !strings.Contains(r.stdout, "DF1000") || !strings.Contains(r.stdout, "DF1002") {
					t.Errorf("text output lacks the good files' findings:\n%s", r)
				}
			}
		})
	}
}

func TestStdoutIsCompleteDocument(t *testing.T) {
	for _, format := range []string{"json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			r := run(t, "", "lint", "-f", format, td("parse_error"), td("nope"))
			wantCode(t, r, 2)
			var v any
			dec := json.NewDecoder(strings.NewReader(r.stdout))
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, r)
			}
			if _, err := dec.Token(); err != io.EOF {
				t.Errorf("stdout holds more than one document:\n%s", r.stdout)
			}
			if strings.Contains(r.stdout, "shipshape:") {
				t.Errorf("diagnostic leaked to stdout:\n%s", r.stdout)
			}
			if !strings.Contains(r.stderr, "nope") {
				t.Errorf("diagnostic missing from stderr:\n%s", r)
			}
		})
	}
	// A usage error leaves stdout empty: absent, not half a document.
	r := run(t, "", "lint", "-f", "json", "--severity", "bogus", td("clean"))
	wantCode(t, r, 2)
	if r.stdout != "" {
		t.Errorf("usage error wrote to stdout: %q", r.stdout)
	}
}

func TestStdin(t *testing.T) {
	src, err := os.ReadFile(td("parse_error", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, string(src), "lint", "-f", "json", "-")
	wantCode(t, r, 1)
	j := decodeJSON(t, r)
	if got := j.ruleIDs("stdin"); !slices.Contains(got, "DF1000") {
		t.Errorf("want DF1000 in stdin, got %v\n%s", got, r)
	}
	clean, _ := os.ReadFile(td("clean", "Dockerfile"))
	wantCode(t, run(t, string(clean), "lint", "-"), 0)
}

func TestDirectoryWalk(t *testing.T) {
	// Every file holds a parse error so that each linted file shows up in
	// the findings.
	bad := "FROM scratch\nRUNN x\n"
	dir := imagetest.Tree(t, map[string]string{
		"Dockerfile":                  bad,
		"Containerfile":               bad,
		"svc/api.Dockerfile":          bad,
		"svc/web.dockerfile":          bad,
		"svc/Dockerfile.prod":         bad,
		"svc/DOCKERFILE":              bad,
		"Dockerfile.dockerignore":     "node_modules\n.git\n",
		"Containerfile.dockerignore":  ".git\n",
		"app.Dockerfile.dockerignore": "node_modules\n",
		"README.md":                   bad,
		"notes.txt":                   bad,
		".git/Dockerfile":             bad,
		"node_modules/x/Dockerfile":   bad,
		"vendor/y/Dockerfile":         bad,
		"deep/a/b/c/Containerfile":    bad,
	})
	r := run(t, "", "lint", "-f", "json", dir)
	wantCode(t, r, 1)
	j := decodeJSON(t, r)
	var got []string
	for _, f := range j.files() {
		rel, _ := filepath.Rel(dir, filepath.FromSlash(f))
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"Containerfile", "Dockerfile", "deep/a/b/c/Containerfile", "svc/DOCKERFILE", "svc/Dockerfile.prod", "svc/api.Dockerfile", "svc/web.dockerfile"}
	if !slices.Equal(got, want) {
		t.Errorf("linted %v\nwant    %v", got, want)
	}
	if j.Summary.Files != len(want) {
		t.Errorf("summary.files = %d, want %d", j.Summary.Files, len(want))
	}
}

func TestExplicitFileSniffing(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		"build.txt": "FROM scratch\nRUNN x\n",
		"notes.txt": "just some notes\n",
	})
	r := run(t, "", "lint", "-f", "json", filepath.Join(dir, "build.txt"))
	wantCode(t, r, 1)
	r = run(t, "", "lint", filepath.Join(dir, "notes.txt"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "notes.txt") {
		t.Errorf("stderr does not name the file:\n%s", r)
	}
	wantCode(t, run(t, "", "lint", "--type", "dockerfile", filepath.Join(dir, "notes.txt")), 1)
}

func TestNoDockerfileFound(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{"README.md": "hello\n", "node_modules/Dockerfile": "FROM scratch\n"})
	r := run(t, "", "lint", dir)
	wantCode(t, r, 2)
	if !strings.Contains(strings.ToLower(r.stderr+r.stdout), "no dockerfile") {
		t.Errorf("want a 'no Dockerfile found' message:\n%s", r)
	}
}

func TestSeverityFilterShown(t *testing.T) {
	r := run(t, "", "lint", "-f", "json", "--severity", "medium", td("parse_error"), td("malformed"))
	wantCode(t, r, 0)
	j := decodeJSON(t, r)
	for _, f := range j.Findings {
		if f.Severity != "medium" {
			t.Errorf("--severity medium shows a %s finding (%s)", f.Severity, f.RuleID)
		}
	}
	if !slices.Contains(j.ruleIDs(""), "DF1002") {
		t.Errorf("DF1002 (medium) missing: %v", j.ruleIDs(""))
	}
	if j.Summary.Failed {
		t.Error("summary.failed with nothing shown at or above the gate")
	}
}

func TestRootUserGate(t *testing.T) {
	requireImplemented(t, "DF1101")
	r := run(t, "", "lint", "-f", "json", td("root", "Dockerfile"))
	wantCode(t, r, 1)
	if !slices.Contains(decodeJSON(t, r).ruleIDs(""), "DF1101") {
		t.Fatalf("DF1101 did not fire:\n%s", r)
	}
	wantCode(t, run(t, "", "lint", "--fail-on", "critical", td("root", "Dockerfile")), 0)
	wantCode(t, run(t, "", "lint", "--severity", "critical,medium,low,info", td("root", "Dockerfile")), 0)
	// A justified suppression keeps the finding out of the gate but in the report.
	r = run(t, "", "lint", "-f", "json", td("suppressed.Dockerfile"))
	wantCode(t, r, 0)
	var sup bool
	for _, f := range decodeJSON(t, r).Findings {
		if f.RuleID == "DF1101" && len(f.Suppressed) > 0 && strings.Contains(string(f.Suppressed), "bind port 80") {
			sup = true
		}
	}
	if !sup {
		t.Errorf("suppressed DF1101 with its justification missing from JSON:\n%s", r)
	}
}

func TestTargetAndBuildArg(t *testing.T) {
	requireImplemented(t, "DF1101")
	// The last stage runs as 10001; building the first stage runs as root.
	wantCode(t, run(t, "", "lint", td("target", "Dockerfile")), 0)
	r := run(t, "", "lint", "-f", "json", "--target", "build", td("target", "Dockerfile"))
	wantCode(t, r, 1)
	if !slices.Contains(decodeJSON(t, r).ruleIDs(""), "DF1101") {
		t.Errorf("--target build: DF1101 did not fire:\n%s", r)
	}
	// USER ${RUNAS} resolves through the meta ARG and --build-arg.
	wantCode(t, run(t, "", "lint", td("buildarg", "Dockerfile")), 0)
	r = run(t, "", "lint", "-f", "json", "--build-arg", "RUNAS=root", td("buildarg", "Dockerfile"))
	wantCode(t, r, 1)
	if !slices.Contains(decodeJSON(t, r).ruleIDs(""), "DF1101") {
		t.Errorf("--build-arg RUNAS=root: DF1101 did not fire:\n%s", r)
	}
}

func TestUnknownTargetNamed(t *testing.T) {
	r := run(t, "", "lint", "--target", "nope", td("target", "Dockerfile"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "nope") {
		t.Errorf("stderr does not name the target:\n%s", r)
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.sarif")
	r := run(t, "", "lint", "-f", "sarif", "-o", out, td("parse_error"))
	wantCode(t, r, 1)
	if r.stdout != "" {
		t.Errorf("--output still wrote to stdout: %q", r.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil || v["version"] != "2.1.0" {
		t.Fatalf("report file is not a complete SARIF document: %v", err)
	}
	// Overwriting leaves a complete file and no temporary files behind.
	wantCode(t, run(t, "", "lint", "-f", "json", "-o", out, td("clean")), 0)
	data, _ = os.ReadFile(out)
	var j jsonOut
	if err := json.Unmarshal(data, &j); err != nil || j.SchemaVersion != "2.0.0" {
		t.Fatalf("overwritten report is not complete JSON: %v\n%s", err, data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("want only the report in %s, have %v", dir, names)
	}
}

func TestOutputFileErrors(t *testing.T) {
	dir := t.TempDir()
	// A missing parent directory: exit 2, nothing written.
	out := filepath.Join(dir, "no", "such", "dir", "report.json")
	r := run(t, "", "lint", "-f", "json", "-o", out, td("clean"))
	wantCode(t, r, 2)
	if _, err := os.Stat(out); err == nil {
		t.Error("report written despite the error")
	}
	// The destination is a directory: the rename fails, the temporary file
	// is removed, and the directory is untouched.
	target := filepath.Join(dir, "isdir")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", "lint", "-f", "json", "-o", target, td("clean"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "write report") {
		t.Errorf("stderr does not explain the failure:\n%s", r)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".shipshape-report-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	if sub, _ := os.ReadDir(target); len(sub) != 0 {
		t.Errorf("destination directory modified: %v", sub)
	}
}

func TestTextOutput(t *testing.T) {
	r := run(t, "", "lint", "--color", "never", td("parse_error", "Dockerfile"))
	wantCode(t, r, 1)
	for _, want := range []string{"testdata/parse_error/Dockerfile:3", "DF1000", "high", "1 file(s) scanned", "FAIL"} {
		if !strings.Contains(filepath.ToSlash(r.stdout), want) {
			t.Errorf("text output lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("--color never still wrote ANSI escapes")
	}
	r = run(t, "", "lint", "--color", "always", td("parse_error", "Dockerfile"))
	if !strings.Contains(r.stdout, "\x1b[") {
		t.Error("--color always wrote no ANSI escapes")
	}
}

func TestGitHubOutput(t *testing.T) {
	r := run(t, "", "lint", "-f", "github", td("parse_error", "Dockerfile"))
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "::error file=testdata/parse_error/Dockerfile,line=3") {
		t.Errorf("want a GitHub error annotation at line 3:\n%s", r)
	}
}

func TestRulesCommand(t *testing.T) {
	r := run(t, "", "rules")
	wantCode(t, r, 0)
	for _, x := range dfrules.All() {
		if !strings.Contains(r.stdout, x.ID) {
			t.Errorf("rules does not list %s", x.ID)
		}
	}
	r = run(t, "", "rules", "--format", "json")
	wantCode(t, r, 0)
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("rules --format json: %v", err)
	}
	if all := allrules.Rules(); len(list) != len(all) {
		t.Errorf("rules --format json lists %d rules, want %d", len(list), len(all))
	}
	wantCode(t, run(t, "", "rules", "--format", "xml"), 2)
	wantCode(t, run(t, "", "rules", "extra-arg"), 2)
}

func TestExplain(t *testing.T) {
	r := run(t, "", "explain", "DF1000")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "DF1000") || !strings.Contains(r.stdout, "docs/rules/DF1000.md") {
		t.Errorf("explain DF1000:\n%s", r)
	}
	wantCode(t, run(t, "", "explain", "df1000"), 0)
	r = run(t, "", "explain", "DL3002")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "DF1101") || !strings.Contains(r.stdout, "hadolint") {
		t.Errorf("explain DL3002 does not map to DF1101:\n%s", r)
	}
	r = run(t, "", "explain", "NOPE123")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "NOPE123") {
		t.Errorf("explain of an unknown id does not name it:\n%s", r)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"lint", "--help"}, {"rules", "--help"}, {"explain", "--help"}, {"version", "--help"}, {"help", "lint"},
	} {
		r := run(t, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%v: want usage text and exit 0, got %s", args, r)
		}
	}
	r := run(t, "", "lint", "--help")
	for _, flag := range []string{"--format", "--severity", "--fail-on", "--config", "--output", "--target", "--build-arg", "--type"} {
		if !strings.Contains(r.stdout, flag) {
			t.Errorf("lint --help does not document %s", flag)
		}
	}
	r = run(t, "", "--help")
	if !strings.Contains(r.stdout, "Exit codes") {
		t.Error("root help does not document exit codes")
	}
}

func TestVersion(t *testing.T) {
	r := run(t, "", "version")
	wantCode(t, r, 0)
	if !strings.HasPrefix(r.stdout, "shipshape ") {
		t.Errorf("version: %q", r.stdout)
	}
	wantCode(t, run(t, "", "--version"), 0)
}

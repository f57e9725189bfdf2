package integrations

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the module root: the action and the hooks are run from it.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "action.yml")); err != nil {
		t.Fatalf("no action.yml at %s", dir)
	}
	return dir
}

// need skips (outside CI) or fails (in CI) when a tool is missing.
func need(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (CI is set: .ci/run must install it)", tool)
		}
		t.Skipf("%s is not installed", tool)
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestActionScript runs the GitHub Action's steps as the runner would
// (scripts/action.sh install, then run, with the INPUT_* variables and a
// GITHUB_OUTPUT file): the hardened example passes, the insecure one fails
// the gate; both leave a SARIF log and print annotations.
func TestActionScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	need(t, "bash")
	root := repoRoot(t)
	tmp := t.TempDir()
	env := append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_PATH="+filepath.Join(tmp, "path"), "INPUT_VERSION=source")
	install := exec.Command("bash", filepath.Join(root, "scripts", "action.sh"), "install")
	install.Env = env
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	for _, c := range []struct {
		example string
		code    int
	}{{"hardened-node", 0}, {"insecure-node", 1}} {
		sarif := filepath.Join(tmp, c.example+".sarif")
		outputs := filepath.Join(tmp, c.example+".out")
		cmd := exec.Command("bash", filepath.Join(root, "scripts", "action.sh"), "run")
		cmd.Dir = root
		cmd.Env = append(env, "INPUT_PATHS=examples/"+c.example, "INPUT_SARIF_FILE="+sarif, "GITHUB_OUTPUT="+outputs, "INPUT_FAIL_ON=high")
		out, err := cmd.CombinedOutput()
		if got := exitCode(err); got != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.example, got, c.code, out)
		}
		var log struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		b, err := os.ReadFile(sarif)
		if err != nil || json.Unmarshal(b, &log) != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
			t.Errorf("%s: no SARIF log (%v)", c.example, err)
		}
		if c.code == 1 && (!strings.Contains(string(out), "::error ") || len(log.Runs[0].Results) == 0) {
			t.Errorf("%s: no annotations or results:\n%s", c.example, out)
		}
		if o, _ := os.ReadFile(outputs); !strings.Contains(string(o), "exit-code="+string(rune('0'+c.code))) {
			t.Errorf("%s: outputs %q", c.example, o)
		}
	}
	// The format input chooses what the job log shows; the gate is the same.
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "action.sh"), "run")
	cmd.Dir = root
	cmd.Env = append(env, "INPUT_PATHS=examples/insecure-node", "INPUT_SARIF_FILE="+filepath.Join(tmp, "json.sarif"), "INPUT_FORMAT=json")
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if got := exitCode(cmd.Run()); got != 1 {
		t.Errorf("format json: exit %d, want 1", got)
	}
	var report struct {
		SchemaVersion string            `json:"schemaVersion"`
		Findings      []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout.String()), &report); err != nil || report.SchemaVersion == "" || len(report.Findings) == 0 {
		t.Errorf("format json: the job log is not a JSON report with findings (%v):\n%.300s", err, stdout.String())
	}
	bad := exec.Command("bash", filepath.Join(root, "scripts", "action.sh"), "run")
	bad.Dir = root
	bad.Env = append(env, "INPUT_PATHS=examples/insecure-node", "INPUT_FORMAT=xml")
	if out, err := bad.CombinedOutput(); exitCode(err) != 2 || !strings.Contains(string(out), "format must be") {
		t.Errorf("format xml: exit %d, want 2 with a reason:\n%s", exitCode(err), out)
	}
}

// TestPreCommitHooks runs the repository's hooks with pre-commit itself
// (pre-commit try-repo, which builds the hook with Go) on a scratch
// repository: shipshape-lint fails on an insecure Dockerfile and passes on a
// clean one; shipshape-fix rewrites the file and so fails the commit once.
func TestPreCommitHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("pre-commit builds the hook")
	}
	// pre-commit builds the hook in its own environment (a minute or
	// more): CI runs it, a developer asks for it.
	if os.Getenv("CI") == "" && os.Getenv("SHIPSHAPE_INTEGRATION") == "" {
		t.Skip("pre-commit builds the hook from scratch; set SHIPSHAPE_INTEGRATION=1 to run it (CI does)")
	}
	need(t, "pre-commit")
	need(t, "git")
	root := repoRoot(t)
	scratch := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = scratch
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	df := filepath.Join(scratch, "Dockerfile")
	write := func(s string) {
		if err := os.WriteFile(df, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", "Dockerfile")
	}
	// One pre-commit home for the three runs, and the go command's own
	// module and build caches, so the hook is built once and nothing is
	// downloaded again.
	home := t.TempDir()
	goenv := func(k string) string {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		return strings.TrimSpace(string(out))
	}
	cacheEnv := []string{"PRE_COMMIT_HOME=" + home, "GOMODCACHE=" + goenv("GOMODCACHE"), "GOCACHE=" + goenv("GOCACHE"), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local"}
	hook := func(id string) (int, string) {
		cmd := exec.Command("pre-commit", "try-repo", root, id, "--all-files")
		cmd.Dir = scratch
		cmd.Env = append(os.Environ(), cacheEnv...)
		out, err := cmd.CombinedOutput()
		return exitCode(err), string(out)
	}
	write("FROM node:latest\nEXPOSE 8080\nRUN curl -fsSL https://example.com/install.sh | sh\n")
	if code, out := hook("shipshape-lint"); code != 1 || !strings.Contains(out, "DF1502") {
		t.Fatalf("shipshape-lint on an insecure Dockerfile: exit %d\n%s", code, out)
	}
	write("FROM scratch\nCOPY app /app\nUSER 10001\nENTRYPOINT [\"/app\"]\n")
	if code, out := hook("shipshape-lint"); code != 0 {
		t.Errorf("shipshape-lint on a clean Dockerfile: exit %d\n%s", code, out)
	}
	write("FROM scratch\nMAINTAINER ops@example.com\nCOPY app /app\nUSER 10001\nENTRYPOINT [\"/app\"]\n")
	if code, out := hook("shipshape-fix"); code != 1 {
		t.Errorf("shipshape-fix that rewrites a file: exit %d, want 1 (files were modified)\n%s", code, out)
	}
	if b, _ := os.ReadFile(df); !strings.Contains(string(b), "LABEL org.opencontainers.image.authors") {
		t.Errorf("shipshape-fix did not rewrite the file:\n%s", b)
	}
}

package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// These tests drive configuration through the CLI: discovery, --config,
// exclude, severity overrides and disabling.

const parseErrorDockerfile = "FROM scratch\nCOPY app /app\nRUNN echo hello\nUSER 10001\nENTRYPOINT [\"/app\"]\n"
const malformedDockerfile = "FROM scratch\nCOPY app /app\n# shipshape ignore=DF1101\nUSER 10001\nENTRYPOINT [\"/app\"]\n"

func TestConfigDiscoveryNearestWins(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		".git/HEAD":             "ref: refs/heads/main\n",
		".shipshape.yaml":       "version: 1\nrules:\n  DF1002:\n    severity: high\n",
		"a/Dockerfile":          malformedDockerfile,
		"b/.shipshape.yaml":     "version: 1\ndisable: [DF1002]\n",
		"b/Dockerfile":          malformedDockerfile,
		"b/deeper/c/Dockerfile": malformedDockerfile,
	})
	r := run(t, "", "lint", "-f", "json", dir)
	wantCode(t, r, 1) // a/Dockerfile: DF1002 raised to high by the root config
	j := decodeJSON(t, r)
	for _, f := range j.Findings {
		rel, _ := filepath.Rel(dir, f.File)
		rel = filepath.ToSlash(rel)
		if f.RuleID != "DF1002" {
			continue
		}
		if rel != "a/Dockerfile" {
			t.Errorf("DF1002 reported in %s, disabled there by b/.shipshape.yaml", rel)
		} else if f.Severity != "high" {
			t.Errorf("DF1002 in a/Dockerfile has severity %s, want high from the config", f.Severity)
		}
	}
	if !slices.Contains(j.ruleIDs(filepath.Join(dir, "a", "Dockerfile")), "DF1002") {
		t.Errorf("DF1002 missing from a/Dockerfile: %v", j.Findings)
	}
}

func TestConfigDiscoveryStopsAtGit(t *testing.T) {
	// The config above the repository root must not apply.
	dir := imagetest.Tree(t, map[string]string{
		".shipshape.yaml":     "version: 1\nrules:\n  DF1002:\n    severity: critical\n",
		"repo/.git/HEAD":      "ref: refs/heads/main\n",
		"repo/svc/Dockerfile": malformedDockerfile,
	})
	r := run(t, "", "lint", "-f", "json", filepath.Join(dir, "repo"))
	wantCode(t, r, 0)
	for _, f := range decodeJSON(t, r).Findings {
		if f.RuleID == "DF1002" && f.Severity != "medium" {
			t.Errorf("config above .git applied: DF1002 is %s", f.Severity)
		}
	}
	// Without .git the walk reaches it.
	if err := os.RemoveAll(filepath.Join(dir, "repo", ".git")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, run(t, "", "lint", filepath.Join(dir, "repo")), 1)
}

func TestConfigFlagOverridesDiscovery(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		".git/HEAD":       "",
		".shipshape.yaml": "version: 1\nrules:\n  DF1002:\n    severity: critical\n",
		"Dockerfile":      malformedDockerfile,
		"other.yaml":      "version: 1\ndisable: [DF1002]\n",
	})
	wantCode(t, run(t, "", "lint", filepath.Join(dir, "Dockerfile")), 1)
	r := run(t, "", "lint", "-f", "json", "--config", filepath.Join(dir, "other.yaml"), filepath.Join(dir, "Dockerfile"))
	wantCode(t, r, 0)
	if slices.Contains(decodeJSON(t, r).ruleIDs(""), "DF1002") {
		t.Error("--config did not replace the discovered config")
	}
}

func TestConfigInvalidIsUsageError(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		".git/HEAD":       "",
		".shipshape.yaml": "version: 1\ndisable: [DF9999]\n",
		"Dockerfile":      malformedDockerfile,
		"bad.yaml":        "version: 2\n",
	})
	r := run(t, "", "lint", filepath.Join(dir, "Dockerfile"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "DF9999") {
		t.Errorf("stderr does not name the unknown rule:\n%s", r)
	}
	r = run(t, "", "lint", "--config", filepath.Join(dir, "bad.yaml"), filepath.Join(dir, "Dockerfile"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "version") {
		t.Errorf("stderr does not explain the bad version:\n%s", r)
	}
}

func TestConfigExclude(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		".git/HEAD":               "",
		".shipshape.yaml":         "version: 1\nexclude:\n  - legacy\n  - \"**/*.old.Dockerfile\"\n",
		"Dockerfile":              parseErrorDockerfile,
		"Dockerfile.dockerignore": ".git\n",
		"legacy/Dockerfile":       parseErrorDockerfile,
		"svc/app.old.Dockerfile":  parseErrorDockerfile,
		"svc/app.Dockerfile":      parseErrorDockerfile,
	})
	r := run(t, "", "lint", "-f", "json", dir)
	wantCode(t, r, 1)
	var got []string
	for _, f := range decodeJSON(t, r).files() {
		rel, _ := filepath.Rel(dir, filepath.FromSlash(f))
		got = append(got, filepath.ToSlash(rel))
	}
	if want := []string{"Dockerfile", "svc/app.Dockerfile"}; !slices.Equal(got, want) {
		t.Errorf("linted %v, want %v", got, want)
	}
}

func TestConfigSeverityOverrideAndGate(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{
		".git/HEAD":    "",
		"low.yaml":     "version: 1\nrules:\n  DF1000:\n    severity: low\n",
		"off.yaml":     "version: 1\nrules:\n  DF1000:\n    enabled: false\n",
		"disable.yaml": "version: 1\ndisable: [DF1000]\n",
		"failon.yaml":  "version: 1\nfail-on: medium\n",
		"Dockerfile":   parseErrorDockerfile,
		"m/Dockerfile": malformedDockerfile,
	})
	df := filepath.Join(dir, "Dockerfile")
	// Lowering the parse error's severity takes it below the gate and
	// changes what the report says.
	r := run(t, "", "lint", "-f", "json", "--config", filepath.Join(dir, "low.yaml"), df)
	wantCode(t, r, 0)
	for _, f := range decodeJSON(t, r).Findings {
		if f.RuleID == "DF1000" && f.Severity != "low" {
			t.Errorf("DF1000 severity %s, want low from the config", f.Severity)
		}
	}
	for _, cfg := range []string{"off.yaml", "disable.yaml"} {
		r = run(t, "", "lint", "-f", "json", "--config", filepath.Join(dir, cfg), df)
		wantCode(t, r, 0)
		if slices.Contains(decodeJSON(t, r).ruleIDs(""), "DF1000") {
			t.Errorf("%s: DF1000 still reported", cfg)
		}
	}
	// fail-on from the config is the default gate; the flag wins over it.
	m := filepath.Join(dir, "m", "Dockerfile")
	wantCode(t, run(t, "", "lint", "--config", filepath.Join(dir, "failon.yaml"), m), 1)
	wantCode(t, run(t, "", "lint", "--config", filepath.Join(dir, "failon.yaml"), "--fail-on", "high", m), 0)
}

package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// Check is one peer tool's check: its identifier as shipshape's rule Peers
// spell it, and a human title.
type Check struct {
	Tool  string
	ID    string
	Title string
	// Platform is set for KICS queries: "dockerfile" or "dockerCompose".
	Platform string
	// Deprecated is set when the peer itself marks the check deprecated.
	Deprecated bool
}

// KICSQueries returns the KICS queries of kics/INDEX.json, all platforms.
func KICSQueries(corpusDir string) ([]Check, error) {
	var idx struct {
		Queries []struct {
			Platform  string `json:"platform"`
			Dir       string `json:"dir"`
			ID        string `json:"id"`
			QueryName string `json:"queryName"`
		} `json:"queries"`
	}
	if err := readJSON(filepath.Join(corpusDir, "kics", "INDEX.json"), &idx); err != nil {
		return nil, err
	}
	var out []Check
	for _, q := range idx.Queries {
		out = append(out, Check{Tool: "kics", ID: q.ID, Title: q.QueryName + " (" + q.Dir + ")", Platform: q.Platform})
	}
	return out, nil
}

// TrivyChecks returns the Trivy Dockerfile checks of trivy/checks.json.
func TrivyChecks(corpusDir string) ([]Check, error) {
	var doc struct {
		Checks []struct {
			ID         string `json:"id"`
			Title      string `json:"title"`
			Deprecated any    `json:"deprecated"`
		} `json:"checks"`
	}
	if err := readJSON(filepath.Join(corpusDir, "trivy", "checks.json"), &doc); err != nil {
		return nil, err
	}
	var out []Check
	for _, c := range doc.Checks {
		out = append(out, Check{Tool: "trivy", ID: c.ID, Title: c.Title, Deprecated: truthy(c.Deprecated)})
	}
	return out, nil
}

// checkovCheck is one record of checkov/checks.json.
type checkovCheck struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	File string `json:"file"`
}

func checkovIndex(corpusDir string) ([]checkovCheck, error) {
	var cs []checkovCheck
	err := readJSON(filepath.Join(corpusDir, "checkov", "checks.json"), &cs)
	return cs, err
}

// CheckovChecks returns the Checkov Dockerfile checks of checkov/checks.json.
func CheckovChecks(corpusDir string) ([]Check, error) {
	cs, err := checkovIndex(corpusDir)
	if err != nil {
		return nil, err
	}
	var out []Check
	for _, c := range cs {
		out = append(out, Check{Tool: "checkov", ID: c.ID, Title: c.Name})
	}
	return out, nil
}

// HadolintRules returns hadolint's DL codes from peers/hadolint.tsv.
func HadolintRules(corpusDir string) ([]Check, error) {
	return peerTSV(filepath.Join(corpusDir, "peers", "hadolint.tsv"), "hadolint", 2)
}

// CISControls returns the CIS Docker Benchmark 1.6.0 controls of
// peers/cis-docker-1.6.0.tsv.
func CISControls(corpusDir string) ([]Check, error) {
	return peerTSV(filepath.Join(corpusDir, "peers", "cis-docker-1.6.0.tsv"), "cis-docker-1.6.0", 1)
}

// peerTSV reads a peer catalogue: a header line, then one check per line
// with its id in the first column and its title in column titleCol.
func peerTSV(path, tool string, titleCol int) ([]Check, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Check
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) <= titleCol || cols[0] == "" {
			continue
		}
		out = append(out, Check{Tool: tool, ID: cols[0], Title: cols[titleCol]})
	}
	return out, sc.Err()
}

// buildkitLinterRules are the rules of the BuildKit linter this module
// builds with. Listing them here (rather than only the names the corpus
// happens to exercise) keeps a rule the test cases never trigger, such as
// InvalidBaseImagePlatform, in the coverage denominator.
var buildkitLinterRules = []linter.LinterRuleI{
	&linter.RuleStageNameCasing, &linter.RuleFromAsCasing, &linter.RuleNoEmptyContinuation,
	&linter.RuleConsistentInstructionCasing, &linter.RuleDuplicateStageName, &linter.RuleReservedStageName,
	&linter.RuleJSONArgsRecommended, &linter.RuleMaintainerDeprecated, &linter.RuleUndefinedArgInFrom,
	&linter.RuleWorkdirRelativePath, &linter.RuleUndefinedVar, &linter.RuleMultipleInstructionsDisallowed,
	&linter.RuleLegacyKeyValueFormat, &linter.RuleInvalidBaseImagePlatform, &linter.RuleRedundantTargetPlatform,
	&linter.RuleSecretsUsedInArgOrEnv, &linter.RuleInvalidDefaultArgInFrom, &linter.RuleFromPlatformFlagConstDisallowed,
	&linter.RuleCopyIgnoredFile, &linter.RuleInvalidDefinitionDescription, &linter.RuleExposeProtoCasing,
	&linter.RuleExposeInvalidFormat,
}

// BuildKitRules returns the BuildKit check names: those of the linter
// package this module builds with, plus any other name the corpus's
// expected warnings use.
func BuildKitRules(corpusDir string) ([]Check, error) {
	seen := map[string]bool{}
	for _, r := range buildkitLinterRules {
		seen[r.RuleName()] = true
	}
	cases, err := readBuildKitCases(corpusDir)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		for _, w := range append(c.ExpectedLint, c.ExpectedBuild...) {
			seen[w.Rule] = true
		}
	}
	var out []Check
	for name := range seen {
		out = append(out, Check{Tool: "buildkit", ID: name, Title: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// truthy reads a JSON flag that the corpus spells as a boolean or a string.
func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(x, "true")
	}
	return false
}

package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"

	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// minHadolintAgreement is the bar for agreement with hadolint's own test
// cases over every DL code a rule maps.
const minHadolintAgreement = 0.95

// hlFile is one testdata/hadolint/DLxxxx.yaml: the cases of hadolint's spec
// for one DL code, restated as Dockerfiles with the verdict hadolint's test
// gives them.
type hlFile struct {
	Code string `yaml:"code"`
	// Match, when set, keeps only the findings whose message it matches:
	// one shipshape rule may cover several DL codes (DF1505 pins apt, pip,
	// npm... packages), and a case about apt must not count a pip finding.
	Match string `yaml:"match"`
	// Settings are rule settings the cases need, as .shipshape.yaml would
	// give them (hadolint's own configuration for the same cases).
	Settings map[string]map[string]any `yaml:"settings"`
	Cases    []hlCase                  `yaml:"cases"`
	path     string
	match    *regexp.Regexp
}

// hlCase is one Dockerfile and hadolint's verdict on it.
type hlCase struct {
	Name string `yaml:"name"`
	// Fires is hadolint's verdict: true for its ruleCatches, false for
	// ruleCatchesNot.
	Fires bool `yaml:"fires"`
	// Onbuild also judges the file with every RUN written as ONBUILD RUN,
	// as hadolint's onBuildRuleCatches(Not) does, with the same verdict.
	Onbuild bool   `yaml:"onbuild"`
	DF      string `yaml:"df"`
	// Deviation explains a case where shipshape deliberately gives the
	// other verdict; it still counts as a disagreement.
	Deviation string `yaml:"deviation"`
	// Settings, when set, replace the file's settings for this case (the
	// hadolint configuration the case runs with).
	Settings map[string]map[string]any `yaml:"settings"`
}

// hlTally counts the judged cases of one DL code.
type hlTally struct {
	code             string
	rules            []string
	cases, agreed    int
	deviations       int
	undocumentedMiss []string
}

// TestHadolintAgreement runs hadolint's own test cases (restated in
// testdata/hadolint) through the engine and counts, per DL code a rule
// maps, how often shipshape gives hadolint's verdict. Every disagreement
// must be explained by a deviation note, and overall agreement must reach
// minHadolintAgreement.
func TestHadolintAgreement(t *testing.T) {
	dir := corpus.Corpus(t)
	reg := registry(t)
	files := loadHadolintCases(t)
	mapped := map[string]bool{}
	checks, err := corpus.HadolintRules(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		if len(reg.ByPeer("hadolint", c.ID)) > 0 {
			mapped[c.ID] = true
		}
	}
	var tallies []*hlTally
	for _, hf := range files {
		rules := reg.ByPeer("hadolint", hf.Code)
		if len(rules) == 0 {
			t.Errorf("%s: no rule maps %s; its cases belong to no rule", hf.path, hf.Code)
			continue
		}
		delete(mapped, hf.Code)
		tallies = append(tallies, judgeHadolintFile(t, reg, hf, rules))
	}
	for code := range mapped {
		t.Errorf("%s is mapped by %v but has no testdata/hadolint/%s.yaml", code, ruleIDs(reg.ByPeer("hadolint", code)), code)
	}
	reportHadolintTallies(t, tallies)
}

// judgeHadolintFile lints every case of one DL code and counts agreement.
func judgeHadolintFile(t *testing.T, reg *rule.Registry, hf *hlFile, rules []*rule.Rule) *hlTally {
	tl := &hlTally{code: hf.Code, rules: ruleIDs(rules)}
	for _, c := range hf.Cases {
		cfg := config.Default()
		settings := hf.Settings
		if c.Settings != nil {
			settings = c.Settings
		}
		for id, s := range settings {
			cfg.Rules[id] = config.RuleConfig{Settings: s}
		}
		variants := []string{hlSource(c.DF)}
		if c.Onbuild {
			variants = append(variants, hlOnbuild(variants[0]))
		}
		for i, src := range variants {
			label := fmt.Sprintf("%s %q", hf.Code, c.Name)
			if i == 1 {
				label += " (ONBUILD)"
			}
			got, err := hlFires(reg, cfg, src, rules, hf.match)
			if err != nil {
				t.Errorf("%s: %v", label, err)
				continue
			}
			tl.cases++
			switch {
			case got == c.Fires && c.Deviation != "":
				t.Errorf("%s: agrees with hadolint now; drop its deviation note", label)
				tl.agreed++
			case got == c.Fires:
				tl.agreed++
			case c.Deviation != "":
				tl.deviations++
			default:
				tl.undocumentedMiss = append(tl.undocumentedMiss, label)
				t.Errorf("%s: hadolint fires=%v, shipshape fires=%v (%v), and no deviation explains it:\n%s", label, c.Fires, got, tl.rules, src)
			}
		}
	}
	return tl
}

// hlFires lints one case and reports whether any of the rules reported a
// finding whose message matches m (every finding when m is nil).
func hlFires(reg *rule.Registry, cfg *config.Config, src string, rules []*rule.Rule, m *regexp.Regexp) (bool, error) {
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		return false, err
	}
	for _, fd := range rule.WithRelated(engine.LintDockerfile(context.Background(), f, reg, cfg, testNow)) {
		if fd.Suppression != nil || !slices.ContainsFunc(rules, func(r *rule.Rule) bool { return r.ID == fd.RuleID }) {
			continue
		}
		if strings.Contains(fd.Message, "crashed") {
			return false, fmt.Errorf("%s", fd.Message)
		}
		if m == nil || m.MatchString(fd.Message) {
			return true, nil
		}
	}
	return false, nil
}

// hlSource makes a case a whole Dockerfile: hadolint judges instructions
// without a FROM, BuildKit does not, so a case without one gets a neutral
// base image first.
func hlSource(df string) string {
	for _, l := range strings.Split(df, "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.EqualFold(f[0], "FROM") {
			return df
		}
	}
	return "FROM debian:12-slim\n" + df
}

// hlOnbuild writes every RUN of src as ONBUILD RUN, as hadolint's
// onBuildRuleCatches does to the instructions it parsed.
func hlOnbuild(src string) string {
	lines := strings.Split(src, "\n")
	cont := false
	for i, l := range lines {
		if !cont && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(l)), "RUN ") {
			lines[i] = "ONBUILD " + strings.TrimLeft(l, " \t")
		}
		cont = strings.HasSuffix(strings.TrimRight(l, " \t"), `\`)
	}
	return strings.Join(lines, "\n")
}

// loadHadolintCases reads testdata/hadolint/*.yaml.
func loadHadolintCases(t *testing.T) []*hlFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "hadolint", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no hadolint cases in testdata/hadolint: %v", err)
	}
	sort.Strings(paths)
	var out []*hlFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		hf := &hlFile{path: p}
		if err := yaml.Unmarshal(data, hf); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if want := strings.TrimSuffix(filepath.Base(p), ".yaml"); hf.Code != want || len(hf.Cases) == 0 {
			t.Errorf("%s: code %q and %d cases, want code %s and at least one case", p, hf.Code, len(hf.Cases), want)
			continue
		}
		if hf.Match != "" {
			if hf.match, err = regexp.Compile(hf.Match); err != nil {
				t.Errorf("%s: match: %v", p, err)
				continue
			}
		}
		for _, c := range hf.Cases {
			if c.Name == "" || strings.TrimSpace(c.DF) == "" {
				t.Errorf("%s: a case without a name or a Dockerfile: %+v", p, c)
			}
		}
		out = append(out, hf)
	}
	return out
}

// reportHadolintTallies logs the agreement table and enforces the bar.
func reportHadolintTallies(t *testing.T, tallies []*hlTally) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DL code\trules\tcases\tagree\tdeviations\tagreement")
	cases, agreed := 0, 0
	for _, tl := range tallies {
		cases += tl.cases
		agreed += tl.agreed
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.1f%%\n", tl.code, strings.Join(tl.rules, ","), tl.cases, tl.agreed, tl.deviations, pct(tl.agreed, tl.cases))
	}
	fmt.Fprintf(tw, "all\t\t%d\t%d\t%d\t%.1f%%\n", cases, agreed, cases-agreed, pct(agreed, cases))
	tw.Flush()
	t.Logf("agreement with hadolint's test cases:\n%s", b.String())
	if cases == 0 || float64(agreed) < minHadolintAgreement*float64(cases) {
		t.Errorf("agreement with hadolint %.1f%% (%d of %d cases), want at least %.0f%%", pct(agreed, cases), agreed, cases, minHadolintAgreement*100)
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func ruleIDs(rs []*rule.Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Sample is one Dockerfile from a peer's test suite with what that peer
// expects of it. One sample can carry several expectations (a BuildKit case
// says something about every BuildKit rule), so that a consumer lints it
// once and judges every expectation against the same findings.
type Sample struct {
	// Corpus is the peer tool whose suite the sample comes from.
	Corpus string
	// Name identifies the sample in messages: a corpus-relative path or the
	// corpus's own case id.
	Name string
	Text []byte
	// BuildArgs are the --build-arg values the peer's test builds with.
	BuildArgs map[string]string
	// Dockerignore is the build context's .dockerignore, when the peer's
	// test has one (BuildKit's CopyIgnoredFile cases).
	Dockerignore string
	Expect       []Expectation
}

// Expectation is one (sample, peer check) unit of agreement.
type Expectation struct {
	Tool   string
	PeerID string
	// Label names the unit; it is what deviation files and
	// scripts/peercheck.py use, e.g. "kics <query_dir> <file>".
	Label      string
	ShouldFire bool
	// Lines are the expected start lines of findings, when the peer gives them.
	Lines []int
	// Instructions are the instruction keywords the peer reports at (Checkov
	// graph checks), when it names them.
	Instructions []string
}

// KICSSamples loads kics/cases.jsonl for one platform ("dockerfile").
func KICSSamples(corpusDir, platform string) ([]Sample, error) {
	var out []Sample
	err := readJSONL(filepath.Join(corpusDir, "kics", "cases.jsonl"), func(raw []byte) error {
		var c struct {
			Platform      string `json:"platform"`
			QueryDir      string `json:"query_dir"`
			QueryID       string `json:"query_id"`
			File          string `json:"file"`
			ShouldFire    bool   `json:"should_fire"`
			ExpectedLines []int  `json:"expected_lines"`
			Text          string `json:"text"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		if c.Platform != platform {
			return nil
		}
		out = append(out, Sample{Corpus: "kics", Name: c.File, Text: []byte(c.Text), Expect: []Expectation{{
			Tool: "kics", PeerID: c.QueryID, Label: "kics " + c.QueryDir + " " + c.File,
			ShouldFire: c.ShouldFire, Lines: c.ExpectedLines,
		}}})
		return nil
	})
	return out, err
}

// TrivySamples loads trivy/examples.jsonl. Trivy's examples give no lines.
func TrivySamples(corpusDir string) ([]Sample, error) {
	var out []Sample
	err := readJSONL(filepath.Join(corpusDir, "trivy", "examples.jsonl"), func(raw []byte) error {
		var c struct {
			ID         string `json:"id"`
			Check      string `json:"check"`
			ShouldFire bool   `json:"should_fire"`
			Dockerfile string `json:"dockerfile"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		out = append(out, Sample{Corpus: "trivy", Name: c.ID, Text: []byte(c.Dockerfile), Expect: []Expectation{{
			Tool: "trivy", PeerID: c.Check, Label: "trivy " + c.ID, ShouldFire: c.ShouldFire,
		}}})
		return nil
	})
	return out, err
}

// CheckovSamples loads the Checkov fixtures: python_checks/example_<Check>/
// (outcome from the directory name, success* or failure*) and
// graph_checks/<Check>/ (outcome and instruction types from expected.yaml).
func CheckovSamples(corpusDir string) ([]Sample, error) {
	checks, err := checkovIndex(corpusDir)
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for _, c := range checks {
		byName[strings.TrimSuffix(strings.TrimSuffix(c.File, ".py"), ".yaml")] = c.ID
	}
	var out []Sample
	add := func(id, path string, fire bool, instrs []string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, path)
		rel = filepath.ToSlash(rel)
		out = append(out, Sample{Corpus: "checkov", Name: rel, Text: data, Expect: []Expectation{{
			Tool: "checkov", PeerID: id, Label: "checkov " + id + " " + rel, ShouldFire: fire, Instructions: instrs,
		}}})
		return nil
	}

	pyDirs, _ := filepath.Glob(filepath.Join(corpusDir, "checkov", "python_checks", "example_*"))
	for _, d := range pyDirs {
		id, ok := byName[strings.TrimPrefix(filepath.Base(d), "example_")]
		if !ok {
			return nil, fmt.Errorf("%s: no check in checkov/checks.json", d)
		}
		files, _ := filepath.Glob(filepath.Join(d, "*", "*"))
		sort.Strings(files)
		for _, f := range files {
			outcome := filepath.Base(filepath.Dir(f))
			switch {
			case strings.HasPrefix(outcome, "failure"):
				err = add(id, f, true, nil)
			case strings.HasPrefix(outcome, "success"):
				err = add(id, f, false, nil)
			default:
				err = fmt.Errorf("%s: directory is neither success* nor failure*", f)
			}
			if err != nil {
				return nil, err
			}
		}
	}

	graphDirs, _ := filepath.Glob(filepath.Join(corpusDir, "checkov", "graph_checks", "*"))
	for _, d := range graphDirs {
		id, ok := byName[filepath.Base(d)]
		if !ok {
			return nil, fmt.Errorf("%s: no check in checkov/checks.json", d)
		}
		exp, err := readGraphExpected(filepath.Join(d, "expected.yaml"))
		if err != nil {
			return nil, err
		}
		files, _ := filepath.Glob(filepath.Join(d, "*", "*"))
		sort.Strings(files)
		for _, f := range files {
			rel, _ := filepath.Rel(d, f)
			e, ok := exp[filepath.ToSlash(rel)]
			if !ok {
				return nil, fmt.Errorf("%s: not listed in expected.yaml", f)
			}
			if e.pass && e.fail {
				return nil, fmt.Errorf("%s: listed as both pass and fail", f)
			}
			if err := add(id, f, e.fail, e.instrs); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

type graphOutcome struct {
	pass, fail bool
	instrs     []string
}

// readGraphExpected reads a graph check's expected.yaml, whose entries name
// resources as `<dir>/<file>.<INSTRUCTION>` once per finding.
func readGraphExpected(path string) (map[string]*graphOutcome, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Pass []string `yaml:"pass"`
		Fail []string `yaml:"fail"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]*graphOutcome{}
	note := func(res string, fail bool) {
		i := strings.LastIndex(res, ".")
		if i < 0 {
			return
		}
		file, instr := res[:i], res[i+1:]
		o := out[file]
		if o == nil {
			o = &graphOutcome{}
			out[file] = o
		}
		if fail {
			o.fail = true
			for _, x := range o.instrs {
				if x == instr {
					return
				}
			}
			o.instrs = append(o.instrs, instr)
		} else {
			o.pass = true
		}
	}
	for _, r := range doc.Pass {
		note(r, false)
	}
	for _, r := range doc.Fail {
		note(r, true)
	}
	for _, o := range out {
		sort.Strings(o.instrs)
	}
	return out, nil
}

// buildKitCase is one record of buildkit/check_cases.jsonl.
type buildKitCase struct {
	ID            string      `json:"id"`
	Dockerfile    string      `json:"dockerfile"`
	ExpectedBuild []bkWarning `json:"expected_warnings"`
	ExpectedLint  []bkWarning `json:"expected_lint_warnings"`
	AttrsRaw      *string     `json:"frontend_attrs_raw"`
	BuildErr      *string     `json:"build_err"`
	Dockerignore  *string     `json:"dockerignore"`
}

type bkWarning struct {
	Rule string `json:"rule"`
	Line int    `json:"line"`
}

func readBuildKitCases(corpusDir string) ([]buildKitCase, error) {
	var out []buildKitCase
	err := readJSONL(filepath.Join(corpusDir, "buildkit", "check_cases.jsonl"), func(raw []byte) error {
		var c buildKitCase
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// reBuildArg matches one build argument in the Go source excerpt that
// frontend_attrs_raw holds: `"build-arg:K": "V"` or
// `"build-arg:K": integration.UnixOrWindows("unix", "windows")`, of which
// the Unix value is the one a Linux build uses.
var reBuildArg = regexp.MustCompile(`"build-arg:([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*(?:integration\.UnixOrWindows\(\s*)?"((?:[^"\\]|\\.)*)"`)

// ParseBuildArgs extracts build arguments from a BuildKit case's
// frontend_attrs_raw.
func ParseBuildArgs(raw string) map[string]string {
	m := reBuildArg.FindAllStringSubmatch(raw, -1)
	if len(m) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, x := range m {
		out[x[1]] = strings.ReplaceAll(x[2], `\"`, `"`)
	}
	return out
}

// BuildKitSamples loads buildkit/check_cases.jsonl. Each case carries one
// expectation per BuildKit rule in rules: positive, with the lines of
// expected_lint_warnings, when the case expects that rule, negative
// otherwise. Cases BuildKit itself rejects (build_err) are left out.
func BuildKitSamples(corpusDir string, rules []string) ([]Sample, error) {
	cases, err := readBuildKitCases(corpusDir)
	if err != nil {
		return nil, err
	}
	var out []Sample
	for _, c := range cases {
		if c.BuildErr != nil && *c.BuildErr != "" {
			continue
		}
		s := Sample{Corpus: "buildkit", Name: c.ID, Text: []byte(c.Dockerfile)}
		if c.Dockerignore != nil {
			s.Dockerignore = *c.Dockerignore
		}
		if c.AttrsRaw != nil {
			s.BuildArgs = ParseBuildArgs(*c.AttrsRaw)
		}
		lines := map[string][]int{}
		for _, w := range c.ExpectedLint {
			lines[w.Rule] = append(lines[w.Rule], w.Line)
		}
		for _, r := range rules {
			ls, fire := lines[r]
			ls = uniqueSorted(ls)
			s.Expect = append(s.Expect, Expectation{
				Tool: "buildkit", PeerID: r, Label: "buildkit " + c.ID + " " + r, ShouldFire: fire, Lines: ls,
			})
		}
		out = append(out, s)
	}
	return out, nil
}

func uniqueSorted(xs []int) []int {
	if len(xs) == 0 {
		return nil
	}
	sort.Ints(xs)
	out := xs[:1]
	for _, x := range xs[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

func readJSONL(path string, each func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		if err := each(sc.Bytes()); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}

package runtime

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// corpusComposeFiles are the real-world compose files and compose-lint's
// test files of the shared corpus (not its config files, nor the files
// that are invalid on purpose).
func corpusComposeFiles(t *testing.T) []string {
	root := corpus.Corpus(t)
	var out []string
	filepath.Walk(filepath.Join(root, "realworld", "compose"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			out = append(out, p)
		}
		return nil
	})
	lint, _ := filepath.Glob(filepath.Join(root, "compose_lint", "tests", "compose_files", "*.yml"))
	for _, p := range lint {
		b := filepath.Base(p)
		if strings.HasPrefix(b, "invalid_") || b == "compose_lint_config.yml" || b == "suppress_config.yml" {
			continue
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// fixStats are the figures of one level's run over the corpus.
type fixStats struct {
	files, changed, created int
	byRule                  map[string]int
	refusals                map[string]int
	elapsed                 time.Duration
}

// TestComposeFixCorpus applies every safe fix, then separately every
// review fix, to each compose file of the corpus, and proves for each
// file: the result is the original with exactly the applied edits (no
// byte outside them changes); compose-go loads it as it loaded the
// original; docker-compose v1's loader accepts it when it accepted the
// original (when docker-compose is installed; required with CI set); every
// finding fixed is gone and no finding appears that was not there; and a
// second run changes nothing. The counts are logged (go test -v) for
// docs/coverage/fixcompose.md.
func TestComposeFixCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the corpus fix proof in -short mode")
	}
	files := corpusComposeFiles(t)
	if len(files) < 200 {
		t.Fatalf("only %d compose files in the corpus", len(files))
	}
	for _, level := range []string{"safe", "review"} {
		t.Run(level, func(t *testing.T) {
			st := fixStats{byRule: map[string]int{}, refusals: map[string]int{}}
			var pairs [][2]string
			tmp := t.TempDir()
			for i, src := range files {
				before, after := proveFix(t, &st, filepath.Join(tmp, fmt.Sprint(i)), src, level)
				if after != "" {
					pairs = append(pairs, [2]string{before, after})
				}
			}
			checkDockerComposeV1(t, pairs)
			t.Logf("level %s: %d files, %d changed, %d secret files created, fix time %v", level, st.files, st.changed, st.created, st.elapsed.Round(time.Millisecond))
			t.Logf("fixes by rule: %v", st.byRule)
			for _, r := range sortedKeys(st.refusals) {
				t.Logf("refused %4d × %s", st.refusals[r], r)
			}
		})
	}
}

// proveFix fixes one corpus file in its own directory and checks it; it
// returns the paths of the original's copy and the fixed file when the
// fix changed it.
func proveFix(t *testing.T, st *fixStats, dir, src, level string) (string, string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	orig := filepath.Join(dir, "before", filepath.Base(src))
	path := filepath.Join(dir, "after", filepath.Base(src))
	for _, p := range []string{orig, path} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	res := corpusFix(t, path, level)
	st.elapsed += time.Since(start)
	st.files++
	changed := false
	for _, ff := range res.Files {
		for _, n := range ff.Skipped {
			if strings.HasPrefix(n.Reason, "refused: ") || strings.HasPrefix(n.Reason, "it overlaps") {
				st.refusals[n.RuleID+": "+reasonKind(n.Reason)]++
			}
		}
		if !ff.Changed() {
			continue
		}
		if ff.Create {
			st.created++
		} else {
			changed = true
			checkOnlyEdits(t, res, ff)
			for _, n := range ff.Applied {
				st.byRule[n.RuleID]++
			}
		}
		if err := engine.WriteFixed(ff); err != nil {
			t.Fatal(err)
		}
	}
	if !changed {
		return "", ""
	}
	st.changed++
	checkComposeGo(t, src, orig, path)
	checkFindings(t, src, res, corpusFix(t, path, level))
	return orig, path
}

func corpusFix(t *testing.T, path, level string) *engine.FixResult {
	t.Helper()
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Fix(context.Background(), engine.FixOptions{
		Lint:  engine.LintOptions{Compose: []string{path}, Rules: reg, Configs: config.NewFinder(reg), Now: fixtureNow},
		Level: level,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkOnlyEdits rebuilds the fixed file from the original and the edits
// of the fixes reported applied: the two must be the same bytes, so that
// nothing outside the edits changed.
func checkOnlyEdits(t *testing.T, res *engine.FixResult, ff *engine.FileFix) {
	t.Helper()
	var es []composeedit.Edit
	for _, n := range ff.Applied {
		fx := appliedFix(res.Lint.Findings, n)
		if fx == nil {
			t.Errorf("%s: applied %s at line %d has no fix among the findings", ff.Path, n.RuleID, n.Line)
			return
		}
		for _, e := range fx.Edits {
			if e.File == ff.Path {
				es = append(es, composeedit.Edit{Start: e.Start, End: e.End, New: e.New})
			}
		}
	}
	// Insertions at one point stand as the engine puts them: the more
	// deeply indented first, then in the order the fixes were applied.
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Start != es[j].Start {
			return es[i].Start < es[j].Start
		}
		return leadingSpaces(es[i].New) > leadingSpaces(es[j].New)
	})
	if got := composeedit.Apply(ff.Before, es); !bytes.Equal(got, ff.After) {
		t.Errorf("%s: the fixed file is not the original with the applied edits", ff.Path)
	}
}

func appliedFix(fs []rule.Finding, n engine.FixNote) *rule.Fix {
	match := func(id string, r loc.Range, fixes []rule.Fix) *rule.Fix {
		if id != n.RuleID || r.Line != n.Line || r.Col != n.Col {
			return nil
		}
		for j := range fixes {
			if fixes[j].Title == n.Title {
				return &fixes[j]
			}
		}
		return nil
	}
	for i := range fs {
		f := &fs[i]
		if fx := match(f.RuleID, f.Range, f.Fixes); fx != nil {
			return fx
		}
		// A finding folded into a stronger one keeps its fixes, at its
		// own place, under its own rule.
		for k := range f.Related {
			r := &f.Related[k]
			if fx := match(r.RuleID, r.Range, r.Fixes); fx != nil {
				return fx
			}
		}
	}
	return nil
}

// checkComposeGo loads the original and the fixed file with compose-go:
// the fixed one must load the same way, with no more load errors.
func checkComposeGo(t *testing.T, src, orig, fixed string) {
	t.Helper()
	pb, ib, errB := compose.LoadInfo([]string{orig}, compose.Options{NoAutoOverride: true})
	pa, ia, errA := compose.LoadInfo([]string{fixed}, compose.Options{NoAutoOverride: true})
	if errB != nil || errA != nil {
		t.Errorf("%s: load: %v / %v", src, errB, errA)
		return
	}
	if ia.Method != ib.Method || len(pa.Errors) > len(pb.Errors) {
		t.Errorf("%s: compose-go loaded the original by %s with %d errors, the fixed file by %s with %d: %v",
			src, ib.Method, len(pb.Errors), ia.Method, len(pa.Errors), pa.Errors)
	}
}

// checkFindings compares the findings before and after the fix, by rule
// and service: each applied fix removes its finding, nothing new appears;
// and the second run (after) has nothing left to change.
func checkFindings(t *testing.T, src string, before, after *engine.FixResult) {
	t.Helper()
	count := func(fs []rule.Finding) map[string]int {
		m := map[string]int{}
		for _, f := range fs {
			switch {
			case f.Suppression != nil:
			case f.RuleID == RT1000.ID:
				// An invalid-input finding is about the file: compose-go
				// names one of several schema errors, not always the same
				// one, so only their number counts.
				m[f.RuleID]++
			default:
				m[f.RuleID+" "+f.Scope]++
			}
		}
		return m
	}
	b, a := count(before.Lint.Findings), count(after.Lint.Findings)
	fixed := map[string]int{}
	for _, ff := range before.Files {
		for _, n := range ff.Applied {
			for _, f := range before.Lint.Findings {
				if f.RuleID == n.RuleID && f.Range.Line == n.Line && f.Range.Col == n.Col {
					fixed[f.RuleID+" "+f.Scope]++
					break
				}
			}
		}
	}
	for k, n := range a {
		if n > b[k]-fixed[k] {
			t.Errorf("%s: after the fix %d × %s (before %d, fixed %d)", src, n, k, b[k], fixed[k])
		}
	}
	for _, ff := range after.Files {
		if ff.Changed() {
			t.Errorf("%s: a second run changes %s", src, ff.Path)
		}
	}
}

// checkDockerComposeV1 runs docker-compose v1's loader over each original
// and fixed file: a fixed file must be accepted whenever its original is.
// A few files also go through the docker-compose command itself, so that
// the batch stays the command's check.
func checkDockerComposeV1(t *testing.T, pairs [][2]string) {
	t.Helper()
	if _, err := exec.LookPath("docker-compose"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("docker-compose is required with CI set: %v", err)
		}
		t.Logf("skipping the docker-compose check: %v", err)
		return
	}
	var args []string
	for _, p := range pairs {
		args = append(args, p[0], p[1])
	}
	out, err := exec.Command("/usr/bin/python3", append([]string{filepath.Join("testdata", "dcv1", "config_check.py")}, args...)...).Output()
	if err != nil {
		t.Fatalf("docker-compose loader: %v", err)
	}
	ok, why := map[string]bool{}, map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct {
			File  string
			OK    bool
			Error string
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("docker-compose loader output %q: %v", sc.Text(), err)
		}
		ok[r.File], why[r.File] = r.OK, r.Error
	}
	accepted, hostIP := 0, 0
	for _, p := range pairs {
		if _, seen := ok[p[1]]; !seen {
			t.Errorf("docker-compose loader gave no verdict on %s", p[1])
		}
		if ok[p[0]] {
			accepted++
			switch {
			case ok[p[1]]:
			case strings.Contains(why[p[1]], "unsupported option: 'host_ip'"):
				// docker-compose v1 predates host_ip in the long syntax of
				// ports (compose-go and Compose v2 read it); counted.
				hostIP++
			default:
				t.Errorf("docker-compose accepts %s but not its fixed form %s: %s", p[0], p[1], why[p[1]])
			}
		}
	}
	t.Logf("docker-compose v1 accepts %d of %d originals that changed; it accepts the fixed form of each but %d, whose long-syntax ports got host_ip, which it predates", accepted, len(pairs), hostIP)
	for _, p := range pairs[:min(3, len(pairs))] {
		if !ok[p[0]] {
			continue
		}
		cmd := exec.Command("docker-compose", "-f", p[1], "config", "-q")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("docker-compose -f %s config -q: %v\n%s", p[1], err, b)
		}
	}
}

var reQuoted = regexp.MustCompile(`"[^"]*"|\d+|[\w./-]+\.ya?ml|/[\w./-]+|[A-Z][A-Z0-9_]*_FILE|\(&[\w-]+\)|\b[A-Z][A-Z0-9_]+\b is not a literal`)

// reasonKind turns a refusal into its kind, without the names in it.
func reasonKind(r string) string {
	return reQuoted.ReplaceAllString(strings.TrimPrefix(r, "refused: "), "…")
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func leadingSpaces(s string) int {
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			return len(l) - len(strings.TrimLeft(l, " "))
		}
	}
	return 0
}

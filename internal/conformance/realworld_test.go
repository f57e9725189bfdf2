package conformance

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// realWorldBound is how long linting the whole real-world corpus may take.
// It is generous (the run takes seconds); its job is to catch a hang or a
// pathological slowdown, not to benchmark.
const realWorldBound = 3 * time.Minute

// realWorldFile is one real-world Dockerfile and what linting it gave.
type realWorldFile struct {
	rel  string
	data []byte
	res  linted
	took time.Duration
	// bkErr is BuildKit's own verdict: nil when its parser and instruction
	// parser both accept the file.
	bkErr error
}

// manifestDockerfiles counts the Dockerfiles realworld/MANIFEST.tsv lists.
func manifestDockerfiles(t *testing.T, dir string) int {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "realworld", "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "dockerfile\t") {
			n++
		}
	}
	return n
}

// buildkitVerdict parses a Dockerfile the way `docker build` starts to:
// BuildKit's parser, then its instruction parser.
func buildkitVerdict(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("buildkit panicked: %v", r)
		}
	}()
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return err
	}
	_, _, err = instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true}))
	return err
}

func TestRealWorldCorpus(t *testing.T) {
	dir := corpus.Corpus(t)
	reg := registry(t)
	files := readRealWorld(t, dir)
	elapsed := lintRealWorld(t, reg, files)
	perRule := checkRealWorld(t, files)
	if elapsed > realWorldBound {
		t.Errorf("linting took %s, over the %s bound", elapsed, realWorldBound)
	}
	t.Log("\n" + realWorldSummary(files, perRule, elapsed))
}

// readRealWorld reads every real-world Dockerfile, and checks that the walk
// finds as many as the manifest lists.
func readRealWorld(t *testing.T, dir string) []*realWorldFile {
	t.Helper()
	root := filepath.Join(dir, "realworld", "dockerfiles")
	var files []*realWorldFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !engine.IsDockerfileName(d.Name()) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, &realWorldFile{rel: filepath.ToSlash(rel), data: data})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := manifestDockerfiles(t, dir); len(files) != want {
		t.Errorf("found %d Dockerfiles by name under realworld/dockerfiles, MANIFEST.tsv lists %d", len(files), want)
	}
	return files
}

// lintRealWorld lints the files in parallel, watching the clock: a hang
// shows as the files still in progress when the bound passes.
func lintRealWorld(t *testing.T, reg *rule.Registry, files []*realWorldFile) time.Duration {
	t.Helper()
	var inFlight sync.Map
	done := make(chan struct{})
	start := time.Now()
	go func() {
		parallel(len(files), func(i int) {
			f := files[i]
			inFlight.Store(f.rel, time.Now())
			t0 := time.Now()
			f.res = lintSource(reg, f.rel, f.data, nil)
			f.took = time.Since(t0)
			f.bkErr = buildkitVerdict(f.data)
			inFlight.Delete(f.rel)
		})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(realWorldBound):
		var stuck []string
		inFlight.Range(func(k, v any) bool {
			stuck = append(stuck, fmt.Sprintf("%s (for %s)", k, time.Since(v.(time.Time)).Round(time.Second)))
			return true
		})
		sort.Strings(stuck)
		t.Fatalf("linting %d real-world Dockerfiles did not finish within %s; still running: %s",
			len(files), realWorldBound, strings.Join(stuck, ", "))
	}
	return time.Since(start)
}

// checkRealWorld requires every file to lint without a crash, and DF1000
// exactly where BuildKit's own parsers reject a file; it returns the
// unsuppressed findings per rule.
func checkRealWorld(t *testing.T, files []*realWorldFile) map[string]int {
	t.Helper()
	perRule := map[string]int{}
	var falseErrors, missedErrors []string
	for _, f := range files {
		if f.res.Panic != "" || f.res.Err != nil {
			t.Errorf("%s: lint failed: panic=%q err=%v", f.rel, f.res.Panic, f.res.Err)
			continue
		}
		nLines := len(f.res.File.Lines)
		var parseErrs []string
		for _, fd := range f.res.Findings {
			perRule[fd.RuleID]++
			if strings.Contains(fd.Message, "crashed") {
				t.Errorf("%s: %s", f.rel, fd.Message)
			}
			if fd.RuleID == "DF1000" {
				parseErrs = append(parseErrs, fmt.Sprintf("%d: %s", fd.Range.Line, fd.Message))
				if fd.Range.Line < 1 || fd.Range.Line > nLines {
					t.Errorf("%s: DF1000 at line %d, outside the file's %d lines: %s", f.rel, fd.Range.Line, nLines, fd.Message)
				}
			}
		}
		if len(parseErrs) > 0 {
			t.Logf("DF1000 %s: %s (BuildKit: %v)", f.rel, strings.Join(parseErrs, "; "), f.bkErr)
			if f.bkErr == nil {
				falseErrors = append(falseErrors, f.rel+": "+strings.Join(parseErrs, "; "))
			}
		} else if f.bkErr != nil {
			missedErrors = append(missedErrors, fmt.Sprintf("%s: %v", f.rel, f.bkErr))
		}
	}
	// A file BuildKit's parsers accept must not be called unparseable, and
	// a file they reject must be reported as such (docs/contract.md: an invalid
	// Dockerfile is a finding located at the line the parser names).
	for _, e := range falseErrors {
		t.Errorf("DF1000 on a file BuildKit parses: %s", e)
	}
	for _, e := range missedErrors {
		t.Errorf("BuildKit rejects a file shipshape reports no DF1000 for: %s", e)
	}
	return perRule
}

// realWorldSummary is the run's figures: speed, the slowest file, findings
// per rule.
func realWorldSummary(files []*realWorldFile, perRule map[string]int, elapsed time.Duration) string {
	var slowest *realWorldFile
	parseErrFiles, findings := 0, 0
	for _, f := range files {
		if slowest == nil || f.took > slowest.took {
			slowest = f
		}
		if perFile := countRule(f, "DF1000"); perFile > 0 {
			parseErrFiles++
		}
		findings += len(f.res.Findings)
	}
	type kv struct {
		id string
		n  int
	}
	var top []kv
	for id, n := range perRule {
		top = append(top, kv{id, n})
	}
	sort.Slice(top, func(i, j int) bool { return top[i].n > top[j].n || (top[i].n == top[j].n && top[i].id < top[j].id) })
	var b strings.Builder
	fmt.Fprintf(&b, "%d real-world Dockerfiles linted in %s (%.0f files/s; slowest %s in %s), %d unsuppressed findings, %d files with parse errors\n",
		len(files), elapsed.Round(time.Millisecond), float64(len(files))/elapsed.Seconds(), slowest.rel, slowest.took.Round(time.Millisecond),
		findings, parseErrFiles)
	b.WriteString("findings per rule (top 20):\n")
	for i, x := range top {
		if i == 20 {
			break
		}
		fmt.Fprintf(&b, "  %-7s %6d\n", x.id, x.n)
	}
	return b.String()
}

// countRule counts a file's findings of one rule.
func countRule(f *realWorldFile, id string) int {
	n := 0
	for _, fd := range f.res.Findings {
		if fd.RuleID == id {
			n++
		}
	}
	return n
}

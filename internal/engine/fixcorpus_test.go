package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

// fixTally counts what fixing a corpus did.
type fixTally struct {
	files, changed int
	applied        map[string]int // by rule
	refused        map[string]int // by rule and reason
	notApplied     map[string]int // by rule and reason other than a refusal (overlaps, suggestions)
}

// TestFixCorpus is the proof of the safe Dockerfile fixes over the
// real-world corpus: every safe fix is applied to each file in memory, and
// then each fixed file
//
//   - still parses with BuildKit's parser, instruction by instruction,
//     wherever the original did;
//   - no longer has the findings that were fixed, and has no finding that
//     was not there before (findings compared by rule and instruction,
//     since lines move when a fix adds one);
//   - differs from the original only inside the applied edits;
//   - has nothing left to fix: a second run changes nothing.
//
// Set SHIPSHAPE_FIX_REPORT=1 to print the counts recorded in
// docs/coverage/fixdf.md.
func TestFixCorpus(t *testing.T) {
	files := realworldDockerfiles(sharedDir(t))
	if len(files) == 0 {
		t.Fatal("no real-world Dockerfiles in the corpus")
	}
	reg, err := dfrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	tally := fixTally{applied: map[string]int{}, refused: map[string]int{}, notApplied: map[string]int{}}
	start := time.Now()
	for _, f := range files {
		tally.files++
		m, before, ff := fixOnce(t, reg, f.Name, f.Data)
		for _, n := range ff.Skipped {
			if why, ok := strings.CutPrefix(n.Reason, "refused: "); ok {
				// The specifics in parentheses (a file name) are left out of
				// the count.
				if i := strings.LastIndex(why, " ("); i > 0 && strings.HasSuffix(why, ")") {
					why = why[:i]
				}
				tally.refused[n.RuleID+": "+why]++
			} else {
				tally.notApplied[n.RuleID+": "+n.Reason]++
			}
		}
		if !ff.Changed() {
			continue
		}
		tally.changed++
		for _, n := range ff.Applied {
			tally.applied[n.RuleID]++
		}
		checkFixedFile(t, reg, f.Name, m, before, ff)
	}
	elapsed := time.Since(start)
	if tally.changed == 0 {
		t.Fatal("no corpus file was fixed")
	}
	if os.Getenv("SHIPSHAPE_FIX_REPORT") != "" {
		t.Log("\n" + tally.String(elapsed))
	}
}

// fixOnce parses, lints and fixes one Dockerfile at level safe.
func fixOnce(t testing.TB, reg *rule.Registry, name string, data []byte) (*dockerfile.File, []rule.Finding, *engine.FileFix) {
	t.Helper()
	m, err := dockerfile.Parse(name, data, dockerfile.Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	findings := engine.LintDockerfile(context.Background(), m, reg, nil, fuzzNow)
	ff, err := engine.FixSource(name, data, findings, "safe", nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m, findings, ff
}

// checkFixedFile holds one fixed file to the proof's four conditions.
func checkFixedFile(t *testing.T, reg *rule.Registry, name string, m *dockerfile.File, before []rule.Finding, ff *engine.FileFix) {
	t.Helper()
	if err := buildkitParses(ff.After); err != nil && buildkitParses(ff.Before) == nil {
		t.Errorf("%s: the fixed file no longer parses with BuildKit: %v", name, err)
		return
	}
	if msg := outsideEdits(ff); msg != "" {
		t.Errorf("%s: %s", name, msg)
	}
	m2, after, again := fixOnce(t, reg, name, ff.After)
	if again.Changed() {
		t.Errorf("%s: a second run changes the file again (%v)", name, notes(again.Applied))
	}
	was, now := findingKeys(m, before), findingKeys(m2, after)
	for k, n := range now {
		if n > was[k] && !movedGroup(k, was, now) {
			t.Errorf("%s: the fix added a finding %s (%d before, %d after)", name, k, was[k], n)
		}
	}
	for _, n := range ff.Applied {
		k := n.RuleID + " at " + instructionAt(m, n.Line)
		if now[k] >= was[k] {
			t.Errorf("%s: the fixed finding %s is still there", name, k)
		}
	}
}

// groupRules report a run of instructions at its first one (DF1608:
// consecutive RUNs that could be one). A fix that changes which of them
// may be merged moves where the run starts, so these findings are
// compared by their number in the file, not by instruction.
var groupRules = map[string]bool{"DF1608": true}

// movedGroup reports whether a finding key new after the fix is a group
// finding that moved: its rule has no more findings in the file than
// before.
func movedGroup(k string, was, now map[string]int) bool {
	id, _, _ := strings.Cut(k, " ")
	if !groupRules[id] {
		return false
	}
	count := func(m map[string]int) int {
		n := 0
		for key, c := range m {
			if strings.HasPrefix(key, id+" ") {
				n += c
			}
		}
		return n
	}
	return count(now) <= count(was)
}

// buildkitParses parses a Dockerfile with BuildKit's parser and its
// instruction parser, as `docker build` would read it.
func buildkitParses(src []byte) error {
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return err
	}
	for _, n := range res.AST.Children {
		if _, err := instructions.ParseInstruction(n); err != nil {
			return fmt.Errorf("line %d: %w", n.StartLine, err)
		}
	}
	return nil
}

// outsideEdits checks that After is Before with only the applied edits
// made: every byte between two edits is the same in both.
func outsideEdits(ff *engine.FileFix) string {
	var rebuilt []byte
	prev := 0
	for _, e := range ff.Edits {
		if e.Start < prev {
			return fmt.Sprintf("edits overlap at offset %d", e.Start)
		}
		rebuilt = append(rebuilt, ff.Before[prev:e.Start]...)
		rebuilt = append(rebuilt, e.New...)
		prev = e.End
	}
	rebuilt = append(rebuilt, ff.Before[prev:]...)
	if !bytes.Equal(rebuilt, ff.After) {
		return "the fixed file differs from the original outside the applied edits"
	}
	return ""
}

// findingKeys counts findings, folded ones included, by rule and the
// instruction they are on (its keyword and ordinal, which fixes keep).
func findingKeys(m *dockerfile.File, fs []rule.Finding) map[string]int {
	out := map[string]int{}
	for _, f := range fs {
		if f.Suppression != nil {
			continue
		}
		out[f.RuleID+" at "+instructionAt(m, f.Range.Line)]++
		for _, r := range f.Related {
			out[r.RuleID+" at "+instructionAt(m, r.Range.Line)]++
		}
	}
	return out
}

// instructionAt names the instruction holding a line by its ordinal in
// the file, with its keyword as parsed (ADD and COPY are one kind here,
// since a fix turns one into the other).
func instructionAt(m *dockerfile.File, line int) string {
	for i, in := range m.Instructions {
		r := in.Range.Normalized()
		if r.Line <= line && line <= r.EndLine {
			kw := in.Keyword
			if kw == "ADD" {
				kw = "COPY"
			}
			return fmt.Sprintf("#%d %s", i+1, kw)
		}
	}
	return fmt.Sprintf("line %d", line)
}

func notes(ns []engine.FixNote) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%s@%d", n.RuleID, n.Line))
	}
	return out
}

// String renders the tally as the markdown recorded in the coverage file.
func (t fixTally) String(elapsed time.Duration) string {
	var b strings.Builder
	fixes := 0
	for _, n := range t.applied {
		fixes += n
	}
	fmt.Fprintf(&b, "%d Dockerfiles, %d changed, %d safe fixes applied, in %v (in memory, one goroutine, lint included)\n\n", t.files, t.changed, fixes, elapsed.Round(time.Millisecond))
	section := func(title string, m map[string]int) {
		fmt.Fprintf(&b, "| %s | count |\n|---|---|\n", title)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if m[keys[i]] != m[keys[j]] {
				return m[keys[i]] > m[keys[j]]
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			fmt.Fprintf(&b, "| %s | %d |\n", strings.ReplaceAll(k, "|", `\|`), m[k])
		}
		b.WriteString("\n")
	}
	section("fixes applied, by rule", t.applied)
	section("refused, by rule and reason", t.refused)
	section("not applied for another reason", t.notApplied)
	return b.String()
}

// BenchmarkFixCorpus lints and fixes (safe level, in memory) every
// real-world Dockerfile once per iteration.
//
//	go test -run '^$' -bench FixCorpus -benchtime 3x ./internal/engine
func BenchmarkFixCorpus(b *testing.B) {
	files := realworldDockerfiles(sharedDir(b))
	if len(files) == 0 {
		b.Skip("no corpus files found")
	}
	reg, err := dfrules.Registry()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			fixOnce(b, reg, f.Name, f.Data)
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/rule"
	ctxrules "github.com/shipshape-sec/shipshape/internal/rules/context"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
)

// testNow is the clock every lint in this package runs with, so that
// time-dependent rules (end of life) answer the same on every day.
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// stubFunc is the fully qualified name of the placeholder Check that
// unfinished rules carry; such rules never fire.
const stubFunc = "github.com/shipshape-sec/shipshape/internal/rules/dockerfile.stub"

func registry(t testing.TB) *rule.Registry {
	t.Helper()
	// The build-context rules take part too: CX1300 maps BuildKit's
	// CopyIgnoredFile, judged on samples that come with a .dockerignore.
	reg, err := rule.NewRegistry(slices.Concat(ctxrules.All(), dfrules.All())...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// isStub reports whether a rule still has the placeholder Check.
func isStub(r *rule.Rule) bool {
	if r.Check == nil {
		return true
	}
	fn := runtime.FuncForPC(reflect.ValueOf(r.Check).Pointer())
	return fn != nil && fn.Name() == stubFunc
}

// linted is one Dockerfile after parsing and linting.
type linted struct {
	File *dockerfile.File
	// Findings are the unsuppressed findings; a suppressed finding counts as
	// not fired.
	Findings []rule.Finding
	// Panic is set when parsing or the engine itself panicked (a rule's
	// panic is already a finding of that rule).
	Panic string
	Err   error
}

// lintSource parses and lints one Dockerfile with every rule of reg.
func lintSource(reg *rule.Registry, name string, src []byte, args map[string]string) (out linted) {
	defer func() {
		if r := recover(); r != nil {
			out.Panic = fmt.Sprintf("%v (at %s)", r, panicSite(debug.Stack()))
		}
	}()
	f, err := dockerfile.Parse(name, src, dockerfile.Options{BuildArgs: args})
	if err != nil {
		return linted{File: f, Err: err}
	}
	out.File = f
	for _, fd := range rule.WithRelated(engine.LintDockerfile(context.Background(), f, reg, config.Default(), testNow)) {
		if fd.Suppression == nil {
			out.Findings = append(out.Findings, fd)
		}
	}
	return out
}

// parallel runs fn(i) for i in [0, n) on GOMAXPROCS workers.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Deviation records a (sample, peer check) pair where shipshape deliberately
// disagrees with the peer, or where the peer's sample is itself wrong. It
// still counts as a disagreement; the entry documents why.
type Deviation struct {
	// Case is the unit's label as TestPeerConformance and
	// scripts/peercheck.py print it, e.g. "trivy trivy-DS-0002-bad0".
	Case string `yaml:"case"`
	// Peer is the peer check id ("DS-0002", a KICS query UUID,
	// "CKV_DOCKER_3", "FromAsCasing"), optionally prefixed "tool:".
	Peer   string `yaml:"peer"`
	Reason string `yaml:"reason"`
	// file is where the entry was read, for messages.
	file string
}

// loadDeviations reads every deviations/*.yaml file.
func loadDeviations(t testing.TB) []Deviation {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("deviations", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var out []Deviation
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ds []Deviation
		if err := yaml.Unmarshal(data, &ds); err != nil {
			t.Errorf("%s: %v (want a YAML list of {case, peer, reason})", f, err)
			continue
		}
		for _, d := range ds {
			d.file = f
			out = append(out, d)
		}
	}
	return out
}

// normCase makes labels compare without regard to case or spacing.
func normCase(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// peerMatches reports whether a deviation's peer field names the peer check.
func peerMatches(field, tool, id string) bool {
	field = strings.TrimSpace(field)
	if t, rest, ok := strings.Cut(field, ":"); ok && strings.EqualFold(t, tool) {
		field = rest
	}
	norm := func(s string) string { return strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "AVD-") }
	return norm(field) == norm(id)
}

// panicSite returns the innermost shipshape frame of a panic's stack, which
// is where a fix belongs.
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "github.com/shipshape-sec/shipshape/internal/") &&
			!strings.Contains(l, "/internal/conformance.") && i+1 < len(lines) {
			fn := strings.TrimSpace(l)
			if j := strings.LastIndex(fn, "("); j > 0 && strings.Contains(fn[j:], "0x") {
				fn = fn[:j] + "(...)"
			}
			return fn + " " + strings.TrimSpace(lines[i+1])
		}
	}
	return "unknown frame"
}

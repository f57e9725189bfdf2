package scan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// maxFileSize bounds a single input; larger files are not Dockerfiles.
const maxFileSize = 8 << 20

// LintOptions configure one lint run.
type LintOptions struct {
	Paths     []string
	Type      string
	Target    string
	BuildArgs map[string]string
	Stdin     io.Reader
	Rules     *rule.Registry
	Configs   *config.Finder
	Now       time.Time
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
}

// LintResult is the outcome of a lint run.
type LintResult struct {
	Findings      []rule.Finding
	Files         []string
	Notifications []report.Notification
	// InputErrors counts problems that make the exit code 2.
	InputErrors int
}

// Lint discovers inputs and lints them in parallel. It never fails as a
// whole: problems with individual inputs become notifications.
func Lint(ctx context.Context, o LintOptions) *LintResult {
	res := &LintResult{}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	inputs, errs := Discover(o.Paths, o.Type, o.Stdin)
	for _, e := range errs {
		res.addError("", e)
	}
	if len(inputs) == 0 && len(errs) == 0 {
		res.addError("", errors.New("no Dockerfile found in the given paths"))
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type out struct {
		findings []rule.Finding
		err      error
		skipped  bool
	}
	outs := make([]out, len(inputs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for i, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fs, skipped, err := lintOne(ctx, in, o)
			outs[i] = out{fs, err, skipped}
		}()
	}
	wg.Wait()
	for i, in := range inputs {
		o := outs[i]
		if o.skipped {
			continue
		}
		name := displayPath(in.Path)
		if o.err != nil {
			res.addError(name, o.err)
			continue
		}
		res.Files = append(res.Files, name)
		res.Findings = append(res.Findings, o.findings...)
	}
	rule.Sort(res.Findings)
	return res
}

func (r *LintResult) addError(file string, err error) {
	r.InputErrors++
	r.Notifications = append(r.Notifications, report.Notification{File: file, Message: err.Error(), Level: "error"})
}

func displayPath(p string) string {
	if p == "-" {
		return "stdin"
	}
	return p
}

func lintOne(ctx context.Context, in Input, o LintOptions) (findings []rule.Finding, skipped bool, err error) {
	defer func() {
		// The engine recovers panics per rule; this catches anything left
		// (the parser itself) so one file never takes the run down.
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error while linting (please report): %v", r)
		}
	}()
	cfgPath := in.Path
	if in.Path == "-" {
		cfgPath = "."
	}
	cfg, err := o.Configs.For(cfgPath)
	if err != nil {
		return nil, false, err
	}
	if in.Path != "-" && cfg.Excluded(in.Path) {
		return nil, true, nil
	}
	data := in.Data
	if data == nil {
		st, err := os.Stat(in.Path)
		if err != nil {
			return nil, false, pathError(in.Path, err)
		}
		if st.Size() > maxFileSize {
			return nil, false, fmt.Errorf("larger than %d MiB, not linted", maxFileSize>>20)
		}
		data, err = os.ReadFile(in.Path)
		if err != nil {
			return nil, false, pathError(in.Path, err)
		}
	}
	f, err := dockerfile.Parse(displayPath(in.Path), data, dockerfile.Options{Target: o.Target, BuildArgs: o.BuildArgs})
	if err != nil {
		return nil, false, err
	}
	return LintDockerfile(ctx, f, o.Rules, cfg, o.Now), false, nil
}

package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/dockerrun"
	"github.com/shipshape-sec/shipshape/internal/freshness"
	"github.com/shipshape-sec/shipshape/internal/inspect"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// maxFileSize bounds a single input; larger files are not Dockerfiles.
const maxFileSize = 8 << 20

// LintOptions configure one lint run.
type LintOptions struct {
	Paths []string
	// Type forces the kind of every file given explicitly (see Kinds).
	Type string
	// Compose lists compose files merged in order into one project, like
	// `docker compose -f a -f b`.
	Compose []string
	// Commands are `docker run ...` command lines to lint.
	Commands  []string
	Target    string
	BuildArgs map[string]string
	Stdin     io.Reader
	Rules     *rule.Registry
	Configs   *config.Finder
	Now       time.Time
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
	// Online, when set, lets rules that need a registry's answer have it
	// (DF1207: has the tag of a pinned base moved?). Nil: no network.
	Online *freshness.Options
	// NoFixes tells rules that nobody reads the findings' Fixes (a lint
	// report shows the remedy text only), so they may skip planning and
	// verifying edits; the findings are otherwise the same. Fix leaves it
	// unset.
	NoFixes bool

	// claims dedupes build contexts linted by several inputs (set by Lint).
	claims *contextClaims
	// listing holds the directory listings of Lint's discovery walk.
	listing *config.Listing
	// claimed, when set, collects the contexts this input claimed (see
	// inputRun.claimed).
	claimed *[][2]string
}

// Lint discovers inputs and lints them in parallel. It never fails as a
// whole: problems with individual inputs become notifications and count
// in Result.InputErrors.
func Lint(ctx context.Context, o LintOptions) *Result {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	// The walk's directory listings answer the configuration lookup's
	// existence checks (four stat calls per directory otherwise) and the
	// repository-root checks of the fingerprints.
	lst := config.NewListing()
	if o.Configs != nil {
		o.Configs.UseListing(lst)
	}
	o.listing = lst
	o.claims = newContextClaims(nil)
	// Dockerfiles are linted while the walk goes on (see discover), each
	// claiming its own context; every other input waits for the walk to
	// end, since a compose file's build contexts defer to the Dockerfiles
	// the walk found.
	pool := startLintPool(ctx, o)
	inputs, tickets, errs := discover(o.Paths, o.Type, contextReader(ctx, o.Stdin), lst, func(in Input) int {
		o.claims.claimOwn(in)
		return pool.submit(in)
	})
	extra := extraInputs(o)
	inputs = append(inputs, extra...)
	tickets = append(tickets, slices.Repeat([]int{-1}, len(extra))...)
	for i := range inputs {
		if tickets[i] < 0 {
			tickets[i] = pool.submit(inputs[i])
		}
	}
	runs := pool.wait()
	outs := make([]inputRun, len(inputs))
	for i, t := range tickets {
		outs[i] = runs[t]
	}
	return assemble(ctx, o, inputs, errs, outs)
}

// lintPool lints the inputs submitted to it on a fixed set of workers
// (GOMAXPROCS unless LintOptions.Workers says), in the order submitted:
// a goroutine per input grew a fresh stack for every file (parsers and
// rules recurse deeply), a few per cent of a lint's CPU.
type lintPool struct {
	// The queue has no bound, so that a walk handing over Dockerfiles
	// never waits for a worker, and its syscalls overlap the linting.
	mu     sync.Mutex
	cond   sync.Cond
	queue  []lintJob
	next   int  // the queue's first job not yet taken
	closed bool // wait was called: no more jobs
	n      int  // inputs submitted
	wg     sync.WaitGroup
	// done holds each worker's results, read once every worker ended.
	done [][]lintJob
}

type lintJob struct {
	ticket int
	in     Input
	run    inputRun
}

func startLintPool(ctx context.Context, o LintOptions) *lintPool {
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &lintPool{done: make([][]lintJob, workers)}
	p.cond.L = &p.mu
	for w := range workers {
		p.wg.Go(func() {
			for {
				j, ok := p.take()
				if !ok {
					return
				}
				// After an interruption the rest is taken unlinted.
				if ctx.Err() == nil {
					oi := o
					var claimed [][2]string
					oi.claimed = &claimed
					fs, files, skipped, err := lintInput(ctx, j.in, oi)
					j.run = inputRun{findings: fs, files: files, err: err, skipped: skipped, done: true, claimed: claimed}
				}
				j.in = Input{}
				p.done[w] = append(p.done[w], j)
			}
		})
	}
	return p
}

// take returns the next job, waiting for one; ok is false once the queue
// is closed and empty.
func (p *lintPool) take() (j lintJob, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.next == len(p.queue) && !p.closed {
		p.cond.Wait()
	}
	if p.next == len(p.queue) {
		return lintJob{}, false
	}
	j = p.queue[p.next]
	p.queue[p.next] = lintJob{}
	p.next++
	return j, true
}

// submit queues in and returns its ticket, the index of its result in
// what wait returns. Not safe for concurrent use.
func (p *lintPool) submit(in Input) int {
	t := p.n
	p.n++
	p.mu.Lock()
	p.queue = append(p.queue, lintJob{ticket: t, in: in})
	p.mu.Unlock()
	p.cond.Signal()
	return t
}

// wait ends the submissions and returns every input's result by ticket.
func (p *lintPool) wait() []inputRun {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cond.Broadcast()
	p.wg.Wait()
	runs := make([]inputRun, p.n)
	for _, jobs := range p.done {
		for _, j := range jobs {
			runs[j.ticket] = j.run
		}
	}
	return runs
}

// inputRun is what linting one input gave, kept on the Result so that
// Relint can reuse it for inputs a fix did not touch.
type inputRun struct {
	findings []rule.Finding
	files    []string
	err      error
	skipped  bool
	done     bool
	// claimed are the compose build contexts this input linted, as
	// (Dockerfile, context directory) pairs.
	claimed [][2]string
}

// lintInputs lints every input not already in reuse (keyed by inputKey)
// and assembles the Result.
func lintInputs(ctx context.Context, o LintOptions, inputs []Input, errs []error, reuse map[string]inputRun) *Result {
	pool := startLintPool(ctx, o)
	tickets := make([]int, len(inputs))
	outs := make([]inputRun, len(inputs))
	for i, in := range inputs {
		if prev, ok := reuse[inputKey(in)]; ok {
			outs[i] = prev
			tickets[i] = -1
			continue
		}
		tickets[i] = pool.submit(in)
	}
	runs := pool.wait()
	for i, t := range tickets {
		if t >= 0 {
			outs[i] = runs[t]
		}
	}
	return assemble(ctx, o, inputs, errs, outs)
}

// assemble builds the Result of a lint from each input's run, in the
// order of inputs.
func assemble(ctx context.Context, o LintOptions, inputs []Input, errs []error, outs []inputRun) *Result {
	res := &Result{}
	for _, e := range errs {
		res.addError("", e)
	}
	if len(inputs) == 0 && len(errs) == 0 {
		res.addError("", errors.New("no Dockerfile, compose file, script with docker run or inspect document found in the given paths"))
	}
	if ctx.Err() != nil {
		// Rules stop early when the context ends, so what was found is
		// partial whatever each input returned.
		res.Interrupted = true
		res.Notifications = append(res.Notifications, report.Notification{Message: "interrupted: " + context.Cause(ctx).Error() + "; the results are incomplete", Level: "error"})
	}
	// One allocation for every finding: growing the slice input by input
	// copied the findings over and over.
	total := len(res.Findings)
	for _, o := range outs {
		total += len(o.findings)
	}
	res.Findings = slices.Grow(res.Findings, total-len(res.Findings))
	for i, in := range inputs {
		o := outs[i]
		if !o.done || o.skipped {
			continue
		}
		name := displayPath(in.Path)
		if o.err != nil {
			res.addError(name, o.err)
			continue
		}
		if len(o.files) > 0 {
			res.Files = append(res.Files, o.files...)
		} else {
			res.Files = append(res.Files, name)
		}
		res.Findings = append(res.Findings, o.findings...)
	}
	res.Files = uniq(res.Files)
	res.reportExpiredIgnores(inputs, o)
	rule.Sort(res.Findings)
	// A file can be reached twice (a compose file linted on its own and
	// through another's include:); report each finding once.
	res.Findings = rule.Dedupe(res.Findings)
	fingerprintWith(res.Findings, o.listing)
	if !res.Interrupted {
		res.lint = &lintState{opts: o, inputs: inputs, runs: outs}
	}
	return res
}

// reportExpiredIgnores names, once each, the ignore entries in force for
// the inputs that are past their expiry date: they no longer suppress
// anything, and the user should renew or remove them.
func (r *Result) reportExpiredIgnores(inputs []Input, o LintOptions) {
	seen := map[string]bool{}
	for _, in := range inputs {
		cfg, _, err := configFor(in, o)
		if err != nil {
			continue
		}
		for _, e := range cfg.ExpiredIgnores(o.Now) {
			key := fmt.Sprintf("%s:%d", e.File, e.Line)
			if seen[key] {
				continue
			}
			seen[key] = true
			r.Notifications = append(r.Notifications, report.Notification{
				File: e.File, Level: "warning",
				Message: fmt.Sprintf("line %d: ignore entry for %s expired on %s and no longer suppresses; renew or remove it", e.Line, e.ID, e.Expires),
			})
		}
	}
}

func displayPath(p string) string {
	if p == "-" {
		return "stdin"
	}
	return p
}

func uniq(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// extraInputs are the inputs given by flag rather than path: merged
// compose files and docker run command lines.
func extraInputs(o LintOptions) []Input {
	var out []Input
	if len(o.Compose) > 0 {
		out = append(out, Input{Path: o.Compose[0], Kind: KindCompose, Files: o.Compose})
	}
	for i, c := range o.Commands {
		name := "docker-run"
		if i > 0 {
			name = fmt.Sprintf("docker-run-%d", i+1)
		}
		out = append(out, Input{Path: name, Kind: KindCommand, Data: []byte(c)})
	}
	return out
}

// lintInput lints one input of any kind. files are the files the input
// read when they are more than its path (merged compose files).
func lintInput(ctx context.Context, in Input, o LintOptions) (findings []rule.Finding, files []string, skipped bool, err error) {
	defer func() {
		// The engine recovers panics per rule; this catches anything left
		// (a parser or loader) so one file never takes the run down.
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error while linting (please report): %v", r)
		}
	}()
	switch in.Kind {
	case KindDockerfile:
		findings, skipped, err = lintOne(ctx, in, o)
	case KindCompose, KindScript, KindInspect, KindCommand:
		findings, files, skipped, err = lintRuntimeInput(ctx, in, o)
	case KindDockerignore:
		findings, skipped, err = lintDockerignore(ctx, in, o)
	default:
		return nil, nil, false, fmt.Errorf("unknown input type %q", in.Kind)
	}
	return findings, files, skipped, err
}

// configFor returns the configuration in force for an input, and whether
// the input is excluded by it.
func configFor(in Input, o LintOptions) (*config.Config, bool, error) {
	cfgPath := in.Path
	if in.Path == "-" || in.Kind == KindCommand {
		cfgPath = "."
	}
	cfg, err := o.Configs.For(cfgPath)
	if err != nil {
		return nil, false, err
	}
	if in.Path != "-" && in.Kind != KindCommand && cfg.Excluded(in.Path) {
		return cfg, true, nil
	}
	return cfg, false, nil
}

// readInput returns an input's contents, bounded in size.
func readInput(in Input) ([]byte, error) {
	if in.Data != nil {
		return in.Data, nil
	}
	// Opened once and sized from the open file (a stat by path and then
	// os.ReadFile resolved the path twice); the answers are those of that
	// pair, a file too large to lint included.
	f, err := os.Open(in.Path)
	if err != nil {
		st, serr := os.Stat(in.Path)
		switch {
		case serr != nil:
			return nil, pathError(in.Path, serr)
		case st.Size() > maxFileSize:
			return nil, fmt.Errorf("larger than %d MiB, not linted", maxFileSize>>20)
		}
		return nil, pathError(in.Path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, pathError(in.Path, err)
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("larger than %d MiB, not linted", maxFileSize>>20)
	}
	// As os.ReadFile: a buffer of the file's size (and one byte, to see the
	// end), grown if the file grew.
	data := make([]byte, 0, max(int(st.Size())+1, 512))
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err != nil {
			if err == io.EOF {
				return data, nil
			}
			return nil, pathError(in.Path, err)
		}
		if len(data) >= cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// lintRuntimeInput loads a compose project, the docker run lines of a
// script, a command line or an inspect document, and runs the RT rules.
func lintRuntimeInput(ctx context.Context, in Input, o LintOptions) ([]rule.Finding, []string, bool, error) {
	cfg, excluded, err := configFor(in, o)
	if err != nil || excluded {
		return nil, nil, excluded, err
	}
	var p *container.Project
	var files []string
	name := displayPath(in.Path)
	switch in.Kind {
	case KindCompose:
		var srcs []compose.Source
		if in.Data != nil {
			srcs = []compose.Source{{Path: name, Data: in.Data}}
		} else if len(in.Files) > 0 {
			for _, f := range in.Files {
				srcs = append(srcs, compose.Source{Path: f})
			}
		} else {
			srcs = []compose.Source{{Path: in.Path}}
		}
		proj, info, err := compose.LoadSources(srcs, compose.Options{Context: ctx, NoAutoOverride: len(in.Files) > 0})
		if err != nil {
			return nil, nil, false, err
		}
		if in.walked && info.NotCompose {
			// A walk took it by its name (compose-lint.yml is a linter's
			// configuration), but it holds no compose content.
			return nil, nil, true, nil
		}
		p, files = proj, info.Files
	case KindScript:
		data, err := readInput(in)
		if err != nil {
			return nil, nil, false, err
		}
		dir := ""
		if in.Data == nil {
			dir = filepath.Dir(in.Path)
		}
		kind := in.Script
		if kind == "" {
			kind = dockerrun.Script
		}
		p = dockerrun.Find(name, data, kind, dockerrun.Options{Dir: dir})
		if len(p.Specs) == 0 && len(p.TrustOff) == 0 && in.walked {
			return nil, nil, true, nil
		}
	case KindCommand:
		proj, err := dockerrun.Command(name, string(in.Data), dockerrun.Options{Dir: "."})
		if err != nil {
			return nil, nil, false, fmt.Errorf("--docker-run %q: %v", string(in.Data), err)
		}
		p = proj
	case KindInspect:
		data, err := readInput(in)
		if err != nil {
			return nil, nil, false, err
		}
		proj, err := inspect.Load(name, data)
		if err != nil {
			// A document that is read but invalid is a finding (RT1000),
			// not a failure of the run.
			line := 1
			var ie *inspect.Error
			if errors.As(err, &ie) {
				line = ie.Line
			}
			proj = &container.Project{Source: container.SourceInspect, File: name,
				Where:  container.Pos{File: name, Range: loc.Line(1)},
				Errors: []container.LoadError{{Pos: container.Pos{File: name, Range: loc.Line(line)}, Message: "invalid inspect document: " + strings.TrimPrefix(err.Error(), fmt.Sprintf("line %d: ", line))}},
			}
		}
		p = proj
	}
	var inline map[string][]byte
	if in.Data != nil {
		inline = map[string][]byte{name: in.Data}
	}
	findings := lintRuntime(ctx, p, o.Rules, cfg, o.Now, inline, o.NoFixes)
	if in.Kind == KindCompose {
		// Services with build: get their build context linted (CX rules).
		cx, dfs := lintComposeBuilds(ctx, p, o, cfg)
		findings = append(findings, cx...)
		if len(files) == 0 && len(dfs) > 0 {
			files = []string{name}
		}
		files = append(files, dfs...)
	}
	return findings, files, false, nil
}

// lintDockerignore is the hook for a .dockerignore given explicitly: it is
// recognised as an input, and its rules run with the build context of the
// Dockerfile beside it when that Dockerfile is linted.
//
// HOOK(build context): lint the context of this .dockerignore here (the
// directory's Dockerfile, or the context alone) once buildctx supports it.
func lintDockerignore(ctx context.Context, in Input, o LintOptions) ([]rule.Finding, bool, error) {
	_, excluded, err := configFor(in, o)
	if err != nil || excluded {
		return nil, excluded, err
	}
	if _, err := readInput(in); err != nil {
		return nil, false, err
	}
	return nil, false, nil
}

func lintOne(ctx context.Context, in Input, o LintOptions) (findings []rule.Finding, skipped bool, err error) {
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
	data, err := readInput(in)
	if err != nil {
		return nil, false, err
	}
	if why := binaryContent(data); why != "" {
		return binaryFinding(o.Rules, cfg, displayPath(in.Path), why), false, nil
	}
	f, err := dockerfile.Parse(displayPath(in.Path), data, dockerfile.Options{Target: o.Target, BuildArgs: o.BuildArgs})
	if err != nil {
		return nil, false, err
	}
	if o.Online != nil {
		if err := checkBaseUpdates(ctx, f, *o.Online); err != nil {
			return nil, false, err
		}
	}
	// Build context (CX rules): the Dockerfile's directory, as `docker
	// build` uses it by default; nil for stdin or without CX rules.
	bc := loadDockerfileContext(in.Path, f, o.Rules, cfg, o.listing)
	return lintDockerfileWithContext(ctx, f, bc, o.Rules, cfg, o.Now), false, nil
}

// binaryContent says why data is not text, "" when it is: a NUL byte in
// its first 8 KiB, the test git uses. (Invalid UTF-8 alone is not enough:
// Latin-1 comments are common in real Dockerfiles and BuildKit reads them.)
// A binary file that happens to be named Dockerfile would otherwise turn
// every run of bytes into a finding.
func binaryContent(data []byte) string {
	if i := bytes.IndexByte(data[:min(len(data), 8<<10)], 0); i >= 0 {
		return fmt.Sprintf("a NUL byte at offset %d", i)
	}
	return ""
}

// binaryFinding reports a binary file given as a Dockerfile once, as the
// parse-error rule (DF1000) at line 1, rather than linting its bytes.
func binaryFinding(reg *rule.Registry, cfg *config.Config, path, why string) []rule.Finding {
	r, ok := reg.Get(ruleParseError)
	if !ok || !cfg.Enabled(r) {
		return nil
	}
	fs := []rule.Finding{{
		RuleID: r.ID, Severity: r.Severity,
		Message:  "not a Dockerfile: the file is binary (" + why + "), so it was not linted",
		Remedy:   "exclude the file (exclude: in .shipshape.yaml) or give the path of the Dockerfile itself",
		Location: rule.Location{File: path, Range: loc.Line(1)},
	}}
	fingerprint(fs)
	return fs
}

// contextReader returns r, or nil when r is nil, made to return the
// context's error as soon as the context ends: standard input may never
// close, and an interrupt must still end the run.
func contextReader(ctx context.Context, r io.Reader) io.Reader {
	if r == nil {
		return nil
	}
	return readerFunc(func(p []byte) (int, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		type result struct {
			n   int
			err error
		}
		ch := make(chan result, 1)
		buf := make([]byte, len(p))
		go func() {
			n, err := r.Read(buf)
			ch <- result{n, err}
		}()
		select {
		case res := <-ch:
			copy(p, buf[:res.n])
			return res.n, res.err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

package engine

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/config"
)

// lintState is what a lint run keeps to be run again cheaply.
type lintState struct {
	opts   LintOptions
	inputs []Input
	runs   []inputRun
}

// inputKey identifies an input across two discoveries of the same paths.
func inputKey(in Input) string {
	return in.Kind + "\x00" + in.Path + "\x00" + strings.Join(in.Files, "\x00")
}

// Relint lints again the inputs of prev that the files in written may have
// changed, and reuses prev's results for the others. `fix --apply` uses it
// so that its exit code comes from the fixed files without paying for a
// second lint of everything.
//
// An input is linted again when a written file lies under one of its roots:
// the directory of the input (a Dockerfile's build context, the directory a
// compose file resolves paths against), the directory of each compose file
// merged into it, and each build context and Dockerfile a compose input
// linted. Everything a rule of that input can read (the file itself, the
// context's files and their sizes, .dockerignore, env and secret files of
// compose) is under those roots, so a reused result is the one a full lint
// would give. Inputs are discovered again, so a .dockerignore that a fix
// created is picked up. A prev that is not a finished lint run (or no
// written file) gives a full Lint.
func Relint(ctx context.Context, prev *Result, written []string) *Result {
	if prev == nil || prev.lint == nil {
		return nil
	}
	st := prev.lint
	o := st.opts
	// The result gives a verdict and a report, never fixes.
	o.NoFixes = true
	var abs []string
	for _, w := range written {
		if a, err := filepath.Abs(w); err == nil {
			abs = append(abs, a)
		}
	}
	reuse := map[string]inputRun{}
	for i, in := range st.inputs {
		r := st.runs[i]
		if !r.done || r.err != nil || touched(in, r, abs) {
			continue
		}
		reuse[inputKey(in)] = r
	}
	// Standard input cannot be read twice and is never written: its
	// input and result are the first run's.
	var paths []string
	for _, p := range o.Paths {
		if p != "-" {
			paths = append(paths, p)
		}
	}
	// A fresh walk and listing: the fixes may have created files (a
	// .dockerignore) the first run's listing says are absent.
	lst := config.NewListing()
	inputs, _, errs := discover(paths, o.Type, nil, lst, nil)
	o.listing = lst
	if o.Configs != nil {
		o.Configs.UseListing(lst)
	}
	for i, in := range st.inputs {
		if in.Path == "-" && in.Data != nil {
			inputs = append(inputs, in)
			if st.runs[i].done && st.runs[i].err == nil {
				reuse[inputKey(in)] = st.runs[i]
			}
		}
	}
	inputs = append(inputs, extraInputs(o)...)
	o.claims = newContextClaims(inputs)
	for _, in := range inputs {
		if r, ok := reuse[inputKey(in)]; ok {
			for _, c := range r.claimed {
				o.claims.claim(c[0], c[1])
			}
		}
	}
	return lintInputs(ctx, o, inputs, errs, reuse)
}

// touched reports whether a written file lies under one of the input's
// roots (see Relint).
func touched(in Input, r inputRun, written []string) bool {
	if len(written) == 0 {
		return false
	}
	if in.Data != nil {
		// stdin and --docker-run: nothing on disk.
		return false
	}
	var roots []string
	add := func(p string) {
		if p == "" || p == "-" {
			return
		}
		if a, err := filepath.Abs(p); err == nil {
			roots = append(roots, a)
		}
	}
	add(filepath.Dir(in.Path))
	for _, f := range in.Files {
		add(filepath.Dir(f))
	}
	for _, f := range r.files {
		add(filepath.Dir(f))
	}
	for _, c := range r.claimed {
		add(filepath.Dir(c[0]))
		add(c[1])
	}
	for _, w := range written {
		for _, root := range roots {
			if w == root || strings.HasPrefix(w, root+string(filepath.Separator)) || root == string(filepath.Separator) {
				return true
			}
		}
	}
	return false
}

package cli

import (
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/pin"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// The rules whose findings pinning answers: a FROM and a compose image
// not pinned by digest. --rule and --skip name them to choose pinning.
const (
	pinDockerfileRule = "DF1201"
	pinComposeRule    = "RT1030"
)

// pinFixes pins the image references of the Dockerfiles and compose files
// the fix run linted, on top of the fixes already applied in memory (a
// base the DF1204 fix moved is pinned at its new tag), and adds what it
// did to res. It returns how many references could not be resolved; each
// is reported on stderr with the registry's answer.
func pinFixes(e *env, lo engine.LintOptions, res *engine.FixResult, r *pin.Resolver, only, skip map[string]bool) (int, error) {
	want := func(id string) bool { return (len(only) == 0 || only[id]) && !skip[id] }
	type file struct{ path, kind string }
	var files []file
	seen := map[string]bool{}
	add := func(p, kind string) {
		if !seen[p] && p != "-" && p != "" {
			seen[p] = true
			files = append(files, file{p, kind})
		}
	}
	var paths []string
	for _, p := range lo.Paths {
		if p == "-" {
			fmt.Fprintln(e.stderr, "shipshape: --pin: standard input is not pinned (give the file's path)")
			continue
		}
		paths = append(paths, p)
	}
	inputs, _ := engine.Discover(paths, lo.Type, nil)
	for _, in := range inputs {
		switch in.Kind {
		case engine.KindDockerfile:
			if want(pinDockerfileRule) {
				add(in.Path, in.Kind)
			}
		case engine.KindCompose:
			if want(pinComposeRule) {
				add(in.Path, in.Kind)
				for _, f := range in.Files {
					add(f, in.Kind)
				}
			}
		}
	}
	if want(pinComposeRule) {
		for _, f := range lo.Compose {
			add(f, engine.KindCompose)
		}
	}
	byPath := map[string]*engine.FileFix{}
	for _, ff := range res.Files {
		byPath[ff.Path] = ff
	}
	failed := 0
	for _, f := range files {
		ff := byPath[f.path]
		if ff == nil {
			data, err := os.ReadFile(f.path)
			if err != nil {
				return failed, fmt.Errorf("pin %s: %w", f.path, err)
			}
			ff = &engine.FileFix{Path: f.path, Before: data, After: data}
		}
		var targets []pin.Target
		var err error
		id := pinDockerfileRule
		if f.kind == engine.KindCompose {
			id = pinComposeRule
			targets, err = pin.ComposeTargets(f.path, ff.After)
		} else {
			targets, err = pin.DockerfileTargets(f.path, ff.After)
		}
		if err != nil {
			return failed, fmt.Errorf("pin %s: %w", f.path, err)
		}
		if len(targets) == 0 {
			continue
		}
		fmt.Fprintf(e.stderr, "shipshape: %s: resolving %d image reference(s)\n", f.path, len(targets))
		out, pinned := pin.Apply(e.ctx, ff.After, targets, r.Digest)
		for _, p := range pinned {
			note := engine.FixNote{RuleID: id, Level: rule.FixSafe, Line: p.Line, Col: p.Col, Title: "pin " + p.Ref + " to its digest"}
			switch {
			case p.Refused != "":
				note.Reason = p.Refused
				ff.Skipped = append(ff.Skipped, note)
			case p.Err != nil:
				failed++
				fmt.Fprintf(e.stderr, "shipshape: %s:%d: --pin: %v\n", f.path, p.Line, p.Err)
			default:
				note.Title = "pin " + p.Ref + " to " + p.Digest
				ff.Applied = append(ff.Applied, note)
			}
		}
		ff.After = out
		if byPath[f.path] == nil && (ff.Changed() || len(ff.Skipped) > 0) {
			byPath[f.path] = ff
			res.Files = append(res.Files, ff)
		}
	}
	sort.SliceStable(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	res.Files = slices.Clip(res.Files)
	return failed, nil
}

package engine

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Rule IDs the engine itself reports for runtime inputs.
const (
	ruleRuntimeInvalid           = "RT1000"
	ruleRuntimeUnusedSuppression = "RT1001"
	ruleRuntimeBadSuppression    = "RT1002"
)

// exemptRuntime are runtime findings a pragma must not hide: a load error
// and problems with pragmas themselves.
var exemptRuntime = map[string]bool{ruleRuntimeInvalid: true, ruleRuntimeUnusedSuppression: true, ruleRuntimeBadSuppression: true}

// LintRuntime runs the enabled runtime (RT) rules over one project (a
// compose project, the `docker run` lines of a script, an inspect
// document) and returns its findings through the pipeline. Load errors in
// p.Errors become RT1000 findings (through that rule's Check); findings
// are placed in the file their position names, so that a value set by a
// compose override file is reported there.
func LintRuntime(ctx context.Context, p *container.Project, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	out := lintRuntime(ctx, p, reg, cfg, now, nil, false)
	fingerprint(out)
	return out
}

// lintRuntime is LintRuntime for a project some of whose files were not
// read from disk (stdin, a command line): inline holds their contents.
// noFixes is LintOptions.NoFixes. The findings have no fingerprints yet:
// those depend on the whole run, and Lint assigns them once at the end.
func lintRuntime(ctx context.Context, p *container.Project, reg *rule.Registry, cfg *config.Config, now time.Time, inline map[string][]byte, noFixes bool) []rule.Finding {
	if p == nil {
		return nil
	}
	if cfg == nil {
		cfg = config.Default()
	}
	all := runRules(ctx, reg, cfg, now, "runtime", nil, func(pass *rule.Pass) { pass.Input, pass.File, pass.NoFixes = p, p.File, noFixes })
	for i := range all {
		if all[i].File == "" {
			all[i].File = p.File
		}
	}
	pragmas := RuntimePragmas(p)
	pl := pipeline{reg: reg, cfg: cfg, now: now,
		suppress: func(fs []rule.Finding) []placedPragma { return suppressByFile(fs, pragmas, reg) },
		unused: func(u placedPragma) (rule.Finding, bool) {
			return unusedPragma(reg, cfg, ruleRuntimeUnusedSuppression, u, loc.Line(u.p.Line),
				"delete the comment, or move it onto the key it is meant for (same line or the line above)", "")
		},
	}
	pl.locate = func(fs []rule.Finding) { locateRuntime(fs, p, inline) }
	return pl.run(all)
}

// suppressByFile applies each file's pragmas to the findings located in
// that file only, since line numbers of an override file say nothing about
// the base file, and returns the pragmas that covered nothing.
func suppressByFile(all []rule.Finding, pragmas map[string][]rule.Pragma, reg *rule.Registry) []placedPragma {
	byFile := map[string][]int{}
	for i, f := range all {
		byFile[f.File] = append(byFile[f.File], i)
	}
	files := make([]string, 0, len(pragmas))
	for file := range pragmas {
		files = append(files, file)
	}
	sort.Strings(files)
	var unused []placedPragma
	for _, file := range files {
		idx := byFile[file]
		sub := make([]rule.Finding, len(idx))
		for j, i := range idx {
			sub[j] = all[i]
		}
		unused = append(unused, placed(file, rule.Suppress(sub, pragmas[file], reg, exemptRuntime))...)
		for j, i := range idx {
			all[i] = sub[j]
		}
	}
	return unused
}

// RuntimePragmas returns the ignore comments of a runtime input by file,
// with the line each one covers: a trailing comment covers its own line, a
// comment on its own line the next line that is not a comment.
func RuntimePragmas(p *container.Project) map[string][]rule.Pragma {
	commentLines := map[string]map[int]bool{}
	for _, c := range p.Comments {
		if c.Trailing {
			continue
		}
		f := commentFile(p, c)
		if commentLines[f] == nil {
			commentLines[f] = map[int]bool{}
		}
		commentLines[f][c.Line] = true
	}
	out := map[string][]rule.Pragma{}
	for _, c := range p.Comments {
		text := strings.TrimPrefix(strings.TrimSpace(c.Text), "#")
		pr, ok := rule.ParsePragma(text, c.Line)
		if !ok {
			continue
		}
		file := commentFile(p, c)
		if pr.Scope == rule.ScopeNext {
			target := c.Line
			if !c.Trailing {
				target = c.Line + 1
				for commentLines[file][target] {
					target++
				}
			}
			pr.Target = loc.Range{Line: target, EndLine: target}
		}
		out[file] = append(out[file], pr)
	}
	return out
}

func commentFile(p *container.Project, c container.Comment) string {
	if c.File != "" {
		return c.File
	}
	return p.File
}

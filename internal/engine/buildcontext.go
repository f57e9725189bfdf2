package engine

import (
	"context"
	"time"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// LintContext runs the enabled build-context (CX) rules over one context
// and returns their findings with suppressions applied, severities
// overridden, duplicates removed and the result sorted.
//
// Pragmas: the Dockerfile's pragmas cover findings located in it (a COPY
// line) like any Dockerfile finding; its file-wide pragmas (`# shipshape
// file-ignore=CX1100 -- ...`, `# check=skip=CopyIgnoredFile`) cover every
// finding of the context. The ignore file may hold the same comments: a
// file-wide one covers the whole context, a next-line one the pattern below
// it.
func LintContext(ctx context.Context, c *buildctx.Context, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	fs, _ := lintContext(ctx, c, reg, cfg, now)
	fingerprint(fs)
	return fs
}

// LintDockerfileWithContext lints a Dockerfile and, when c is not nil, its
// build context as one unit: besides LintDockerfile and LintContext, a
// Dockerfile pragma that only a context finding uses is not reported as
// unused.
func LintDockerfileWithContext(ctx context.Context, f *dockerfile.File, c *buildctx.Context, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	all := lintDockerfileWithContext(ctx, f, c, reg, cfg, now)
	fingerprint(all)
	return all
}

// lintDockerfileWithContext is LintDockerfileWithContext without the
// fingerprints, for Lint, which assigns them once over the whole run.
func lintDockerfileWithContext(ctx context.Context, f *dockerfile.File, c *buildctx.Context, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	df := lintDockerfile(ctx, f, reg, cfg, now)
	if c == nil {
		return df
	}
	cx, used := lintContext(ctx, c, reg, cfg, now)
	if len(used) > 0 {
		out := df[:0]
		for _, x := range df {
			if x.RuleID == ruleUnusedSuppression && x.File == f.Path && used[x.Range.Line] {
				continue
			}
			out = append(out, x)
		}
		df = out
	}
	all := append(df, cx...)
	rule.Sort(all)
	return all
}

// ContextRulesEnabled reports whether any build-context rule would run, so
// that callers skip walking a context nobody reads.
func ContextRulesEnabled(reg *rule.Registry, cfg *config.Config) bool {
	if cfg == nil {
		cfg = config.Default()
	}
	for _, r := range reg.Rules() {
		if r.Kind() == "context" && r.Check != nil && cfg.Enabled(r) {
			return true
		}
	}
	return false
}

// loadDockerfileContext returns the default build context of a Dockerfile
// read from path (its directory), or nil when there is none to walk:
// stdin, no context rule enabled, or a directory that cannot be read.
func loadDockerfileContext(path string, f *dockerfile.File, reg *rule.Registry, cfg *config.Config, lst *config.Listing) *buildctx.Context {
	if path == "" || path == "-" || !ContextRulesEnabled(reg, cfg) {
		return nil
	}
	c, err := buildctx.Load("", path, f, buildctx.Options{Listing: lst})
	if err != nil {
		return nil
	}
	return c
}

// lintContext is LintContext that also returns the Dockerfile pragma lines
// its findings used.
func lintContext(ctx context.Context, c *buildctx.Context, reg *rule.Registry, cfg *config.Config, now time.Time) ([]rule.Finding, map[int]bool) {
	if c == nil {
		return nil, nil
	}
	if cfg == nil {
		cfg = config.Default()
	}
	all := runRules(ctx, reg, cfg, now, "context", nil, func(p *rule.Pass) {
		p.Input = c
		if c.Dockerfile != nil {
			p.File, p.Lines = c.Dockerfile.Path, c.Dockerfile.Lines
		}
	})
	// A config's exclude patterns keep their paths out of the report.
	kept := all[:0]
	for _, f := range all {
		if f.File == "" || !cfg.Excluded(f.File) {
			kept = append(kept, f)
		}
	}
	all = kept

	used := map[int]bool{}
	pl := pipeline{reg: reg, cfg: cfg, now: now,
		suppress: func(fs []rule.Finding) []placedPragma { suppressContext(c, fs, reg, used); return nil },
		locate: func(fs []rule.Finding) {
			locateDockerfile(fs, c.Dockerfile)
			if c.IgnoreFile != "" {
				if data, err := readBounded(c.IgnoreFile); err == nil {
					locate(fs, c.IgnoreFile, loc.NewIndex(data), nil)
				}
			}
		},
	}
	if c.Dockerfile != nil {
		pl.instruction = instructionSpan(c.Dockerfile)
	}
	return pl.run(all), used
}

// suppressContext applies the pragmas of a build context: the
// Dockerfile's cover findings located in it (a COPY line), the ignore
// file's cover the pattern below them, and file-wide pragmas of either
// cover every finding of the context. Dockerfile pragmas run first, and
// the lines they use are recorded in used, so that the Dockerfile's own
// pass does not report them as unused. Unused pragmas are reported by the
// Dockerfile's pass, not here.
func suppressContext(c *buildctx.Context, all []rule.Finding, reg *rule.Registry, used map[int]bool) {
	dfPath := ""
	var dfPragmas []rule.Pragma
	if c.Dockerfile != nil {
		dfPath = c.Dockerfile.Path
		dfPragmas = DockerfilePragmas(c.Dockerfile)
	}
	igPragmas := ignoreFilePragmas(c)
	fileWide := func(ps []rule.Pragma) []rule.Pragma {
		var out []rule.Pragma
		for _, p := range ps {
			if p.Scope == rule.ScopeFile {
				out = append(out, p)
			}
		}
		return out
	}
	// Group findings by where they are, since a next-line pragma only
	// covers lines of its own file.
	var inDF, inIgnore, other []int
	for i, f := range all {
		switch {
		case dfPath != "" && f.File == dfPath:
			inDF = append(inDF, i)
		case c.IgnoreFile != "" && f.File == c.IgnoreFile:
			inIgnore = append(inIgnore, i)
		default:
			other = append(other, i)
		}
	}
	apply := func(idx []int, ps []rule.Pragma, record bool) {
		sub := make([]rule.Finding, len(idx))
		for j, i := range idx {
			sub[j] = all[i]
		}
		rule.Suppress(sub, ps, reg, exemptFromSuppression)
		for j, i := range idx {
			if record && sub[j].Suppression != nil {
				used[sub[j].Suppression.Line] = true
			}
			all[i] = sub[j]
		}
	}
	apply(inDF, dfPragmas, true)
	apply(inIgnore, fileWide(dfPragmas), true)
	apply(other, fileWide(dfPragmas), true)
	apply(inDF, fileWide(igPragmas), false)
	apply(inIgnore, igPragmas, false)
	apply(other, fileWide(igPragmas), false)
}

// ignoreFilePragmas reads shipshape pragmas from the ignore file's comment
// lines; a next-line pragma covers the next non-comment line.
func ignoreFilePragmas(c *buildctx.Context) []rule.Pragma {
	var out []rule.Pragma
	for _, cm := range c.IgnoreComments {
		p, ok := rule.ParsePragma(cm.Text, cm.Line)
		if !ok || p.Tool != "shipshape" {
			continue
		}
		if p.Scope == rule.ScopeNext {
			for _, pt := range c.Patterns {
				if pt.Line > cm.Line {
					p.Target = loc.Range{Line: pt.Line, EndLine: pt.Line}
					break
				}
			}
		}
		out = append(out, p)
	}
	return out
}

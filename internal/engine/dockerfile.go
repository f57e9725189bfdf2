package engine

import (
	"context"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// Rule IDs the engine itself reports.
const (
	ruleParseError        = "DF1000"
	ruleUnusedSuppression = "DF1001"
	ruleBadSuppression    = "DF1002"
)

// exemptFromSuppression are findings a pragma must not hide: a parse error
// and problems with pragmas themselves.
var exemptFromSuppression = map[string]bool{ruleParseError: true, ruleUnusedSuppression: true, ruleBadSuppression: true}

// LintDockerfile runs every enabled rule of reg over one parsed Dockerfile
// and returns its findings through the pipeline: pragmas applied, unused
// ones reported (DF1001), severities overridden, ignore entries applied,
// duplicates removed and the result sorted.
func LintDockerfile(ctx context.Context, f *dockerfile.File, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	out := lintDockerfile(ctx, f, reg, cfg, now)
	fingerprint(out)
	return out
}

// lintDockerfile is LintDockerfile without the fingerprints, which depend on
// the whole run: Lint assigns them once at the end, and each input's own
// pass would be thrown away.
func lintDockerfile(ctx context.Context, f *dockerfile.File, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	if cfg == nil {
		cfg = config.Default()
	}
	all := runRules(ctx, reg, cfg, now, "dockerfile", nil, func(p *rule.Pass) { p.Input, p.File, p.Lines = f, f.Path, f.Lines })
	pragmas := DockerfilePragmas(f)
	pl := pipeline{reg: reg, cfg: cfg, now: now,
		suppress: func(fs []rule.Finding) []placedPragma {
			return placed(f.Path, rule.Suppress(fs, pragmas, reg, exemptFromSuppression))
		},
		unused: func(u placedPragma) (rule.Finding, bool) {
			return unusedPragma(reg, cfg, ruleUnusedSuppression, u, pragmaRange(f, u.p.Line),
				"delete the comment, or move it above the instruction it is meant for", snippet(f, u.p.Line))
		},
	}
	pl.locate = func(fs []rule.Finding) { locateDockerfile(fs, f) }
	pl.instruction = instructionSpan(f)
	return pl.run(all)
}

// instructionSpan returns the first and last line of the instruction of a
// Dockerfile that holds a line, (0, 0) outside every instruction.
func instructionSpan(f *dockerfile.File) func(file string, line int) (int, int) {
	return func(file string, line int) (int, int) {
		if file != f.Path {
			return 0, 0
		}
		for _, in := range f.Instructions {
			r := in.Range.Normalized()
			if r.Line <= line && line <= r.EndLine {
				return r.Line, r.EndLine
			}
		}
		return 0, 0
	}
}

// placed attaches a file to pragmas.
func placed(file string, ps []rule.Pragma) []placedPragma {
	out := make([]placedPragma, len(ps))
	for i, p := range ps {
		out[i] = placedPragma{file, p}
	}
	return out
}

// DockerfilePragmas returns the ignore comments of a Dockerfile with the
// instruction each next-instruction pragma covers.
func DockerfilePragmas(f *dockerfile.File) []rule.Pragma {
	var out []rule.Pragma
	firstInstruction := 0
	if len(f.Instructions) > 0 {
		firstInstruction = f.Instructions[0].Range.Line
	}
	for _, c := range f.Comments {
		p, ok := rule.ParsePragma(c.Text, c.Line)
		if !ok {
			continue
		}
		// A `# check=` comment is a parser directive (whole file) only at
		// the top of the file; further down BuildKit applies it to the
		// instruction that follows.
		if p.Tool == "buildkit" && firstInstruction > 0 && c.Line > firstInstruction {
			p.Scope = rule.ScopeNext
		}
		if p.Scope == rule.ScopeNext || p.Scope == rule.ScopeStage {
			p.Target = pragmaTarget(f, c.Line, p.Scope)
		}
		out = append(out, p)
	}
	// BuildKit also reads the check directive from a build argument; a
	// team that skips checks that way keeps the same behaviour here.
	if v, ok := f.BuildArgs["BUILDKIT_DOCKERFILE_CHECK"]; ok {
		if p, ok := rule.ParsePragma("check="+v, 0); ok {
			out = append(out, p)
		}
	}
	return out
}

// pragmaTarget is the span a pragma on line covers: the next instruction,
// or for a stage pragma everything from it to the end of its stage (the
// stage a FROM right below the pragma starts, FROM line included).
func pragmaTarget(f *dockerfile.File, line int, scope rule.PragmaScope) loc.Range {
	for _, in := range f.Instructions {
		if in.Range.Line <= line {
			continue
		}
		t := loc.Range{Line: in.Range.Line, EndLine: in.Range.EndLine}
		if scope == rule.ScopeStage && in.Stage != nil {
			if ins := in.Stage.Instructions; len(ins) > 0 {
				t.EndLine = max(t.EndLine, ins[len(ins)-1].Range.EndLine)
			}
		}
		return t
	}
	return loc.Range{}
}

func pragmaRange(f *dockerfile.File, line int) loc.Range {
	r := loc.Line(line)
	if line >= 1 && line <= len(f.Lines) {
		l := f.Lines[line-1]
		if i := strings.Index(l, "#"); i >= 0 {
			r.Col = i + 1
			r.EndLine = line
			r.EndCol = len(l) + 1
		}
	}
	return r
}

func snippet(f *dockerfile.File, line int) string {
	if line >= 1 && line <= len(f.Lines) {
		return strings.TrimSpace(f.Lines[line-1])
	}
	return ""
}

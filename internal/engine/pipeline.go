package engine

import (
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// pipeline is the one post-processing every finding goes through, whatever
// its input (Dockerfile, build context, runtime, image, vulnerability), in
// this order:
//
//  1. suppress: the input's inline pragmas mark the findings they cover;
//  2. unused suppressions: pragmas that covered nothing become findings;
//  3. severity overrides from the configuration;
//  4. the ignore file (.shipshapeignore.yaml) entries;
//  5. locate: byte offsets, stage or service, offending token;
//  6. related: a finding whose rule subsumes another's at the same place
//     takes it as related (one problem, one finding);
//  7. dedupe: one problem reached twice is reported once;
//  8. sort: by file, line, column, image layer and path, rule, message.
//
// The input-specific steps are functions of the pipeline: each kind has its
// own comment syntax (suppress, unused), its own source (locate) and its own
// notion of an instruction (instruction).
type pipeline struct {
	reg *rule.Registry
	cfg *config.Config
	now time.Time
	// suppress marks the findings the input's pragmas cover and returns
	// the pragmas that covered nothing; nil when the input has no pragmas.
	suppress func(fs []rule.Finding) []placedPragma
	// unused turns an unused pragma into a finding; nil, or false, when
	// the rule reporting them is disabled.
	unused func(p placedPragma) (rule.Finding, bool)
	// locate completes the findings' locations and identities; nil when
	// the input has no source text (an image).
	locate func(fs []rule.Finding)
	// instruction returns the lines of the instruction a line belongs to,
	// for rules that subsume others within one instruction; nil outside
	// Dockerfiles.
	instruction func(file string, line int) (int, int)
}

// placedPragma is a pragma with the file it was written in.
type placedPragma struct {
	file string
	p    rule.Pragma
}

func (pl pipeline) run(all []rule.Finding) []rule.Finding {
	cfg := pl.cfg
	if cfg == nil {
		cfg = config.Default()
	}
	if pl.suppress != nil {
		for _, u := range pl.suppress(all) {
			if pl.unused == nil {
				continue
			}
			if f, ok := pl.unused(u); ok {
				all = append(all, f)
			}
		}
	}
	overrideSeverities(all, pl.reg, cfg)
	cfg.ApplyIgnores(all, pl.reg, pl.now)
	if pl.locate != nil {
		pl.locate(all)
	}
	rule.Sort(all)
	all = rule.FoldRelated(all, pl.reg, pl.instruction)
	all = rule.Dedupe(all)
	return all
}

// overrideSeverities applies the config's severity for each rule to the
// findings reported at the rule's own severity (a rule that chose another
// severity for one finding keeps it). The engine's own rules are included:
// the config is an explicit choice.
func overrideSeverities(all []rule.Finding, reg *rule.Registry, cfg *config.Config) {
	for i := range all {
		if r, ok := reg.Get(all[i].RuleID); ok {
			if s := cfg.SeverityOf(r); s != r.Severity && all[i].Severity == r.Severity {
				all[i].Severity = s
			}
		}
	}
}

// unusedPragma builds the finding of the rule that reports suppressions
// matching nothing (DF1001, RT1001), or false when that rule is disabled.
func unusedPragma(reg *rule.Registry, cfg *config.Config, id string, u placedPragma, rng loc.Range, remedy, snippet string) (rule.Finding, bool) {
	r, ok := reg.Get(id)
	if !ok || !cfg.Enabled(r) {
		return rule.Finding{}, false
	}
	return rule.Finding{
		RuleID: r.ID, Severity: r.Severity,
		Message:  "suppression of " + strings.Join(u.p.IDs, ", ") + " matches no finding; remove it",
		Remedy:   remedy,
		Snippet:  snippet,
		Location: rule.Location{File: u.file, Range: rng},
	}, true
}

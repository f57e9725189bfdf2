package engine

import (
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
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
//  5. dedupe: one problem reached twice is reported once;
//  6. sort: by file, line, column, image layer and path, rule, message.
//
// Only the first two steps depend on the input kind, since each kind has
// its own comment syntax; they are the pipeline's suppress and unused
// functions.
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
	all = rule.Dedupe(all)
	rule.Sort(all)
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

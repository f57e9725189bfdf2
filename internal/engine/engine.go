package engine

import (
	"context"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// runRules runs every enabled rule of one kind (dockerfile, context,
// runtime, image) that keep accepts, each on a pass made by newPass, and
// returns their findings in registry order. Every engine starts here, so
// enabling, settings and crash recovery behave the same for all inputs.
func runRules(ctx context.Context, reg *rule.Registry, cfg *config.Config, now time.Time, kind string, keep func(*rule.Rule) bool, newPass func(*rule.Pass)) []rule.Finding {
	var all []rule.Finding
	memo := rule.NewMemo()
	// One Pass serves every rule in turn (a rule keeps nothing of its
	// pass once Check returns): a pass per rule per file was a tenth of
	// the engine's own allocations.
	p := new(rule.Pass)
	for _, r := range reg.Rules() {
		if r.Kind() != kind || !cfg.Enabled(r) || r.Check == nil || (keep != nil && !keep(r)) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		*p = rule.Pass{Ctx: ctx, Rule: r, Now: now, Settings: cfg.Settings(r), Memo: memo}
		newPass(p)
		all = append(all, rule.Run(p)...)
	}
	return all
}

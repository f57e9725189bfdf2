package scan

import (
	"context"
	"time"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// LintContext runs the enabled build-context (CX) rules over one context.
//
// PLACEHOLDER: the build-context work replaces this body.
func LintContext(ctx context.Context, c *buildctx.Context, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	return nil
}

package scan

import (
	"context"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// LintRuntime runs the enabled runtime (RT) rules over one project (a
// compose project, the `docker run` lines of a script, an inspect
// document) and returns its findings with suppressions applied, severities
// overridden, duplicates removed and the result sorted.
//
// PLACEHOLDER: the runtime-rules work replaces this body (pragmas from
// Project.Comments, load errors as findings, the post-processing of
// LintDockerfile).
func LintRuntime(ctx context.Context, p *container.Project, reg *rule.Registry, cfg *config.Config, now time.Time) []rule.Finding {
	return nil
}

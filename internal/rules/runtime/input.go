package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// projectOf is this package's input: every rule here checks the containers
// of one compose project, script, command line or inspect document.
func projectOf(p *rule.Pass) *container.Project { return p.Input.(*container.Project) }

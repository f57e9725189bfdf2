package dockerfile

import (
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// fileOf is this package's input: every rule here checks one parsed
// Dockerfile, which the engine sets as the pass's Input.
func fileOf(p *rule.Pass) *dockerfile.File { return p.Input.(*dockerfile.File) }

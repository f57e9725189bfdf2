package context

import (
	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// contextOf is this package's input: every rule here checks one build
// context, with the Dockerfile built from it when there is one.
func contextOf(p *rule.Pass) *buildctx.Context { return p.Input.(*buildctx.Context) }

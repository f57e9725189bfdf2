// Package all assembles the registries of every rule package into the one
// registry the CLI, the docs generator and the SARIF rule table use.
package all

import (
	"slices"

	"github.com/shipshape-sec/shipshape/internal/rule"
	ctxrules "github.com/shipshape-sec/shipshape/internal/rules/context"
	dfrules "github.com/shipshape-sec/shipshape/internal/rules/dockerfile"
	imrules "github.com/shipshape-sec/shipshape/internal/rules/image"
	rtrules "github.com/shipshape-sec/shipshape/internal/rules/runtime"
)

// Rules returns every rule, sorted by ID.
func Rules() []*rule.Rule {
	// ID prefixes sort CX < DF < IM < RT, so concatenating keeps the order.
	return slices.Concat(ctxrules.All(), dfrules.All(), imrules.All(), rtrules.All())
}

// Registry returns the validated registry of every rule.
func Registry() (*rule.Registry, error) { return rule.NewRegistry(Rules()...) }

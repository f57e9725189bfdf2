package buildctx

import "github.com/shipshape-sec/shipshape/internal/dockerfile"

// Context is one build context together with the Dockerfile built from it.
// The fields below are the minimum the rule framework needs; the loader
// adds what the CX rules read.
type Context struct {
	// Dir is the context root directory.
	Dir string
	// Dockerfile is the parsed Dockerfile built with this context; nil when
	// the context is linted on its own.
	Dockerfile *dockerfile.File
	// IgnoreFile is the path of the ignore file in force, "" when none.
	IgnoreFile string
}

// Package engine is shipshape as a library: Lint, Image and SBOM take their
// inputs and options and each return one Result. It finds the inputs,
// parses or reads each once into its model, runs the enabled rules,
// catalogers and matchers, applies one post-processing pipeline to every
// finding (suppress, unused suppressions, severity overrides, ignore file,
// dedupe, sort) and hands the Result to its caller: the CLI today, a server
// tomorrow. It holds no global state; everything comes in through options.
package engine

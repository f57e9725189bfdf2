// Package pin pins image references to digests: it finds the references
// of a Dockerfile's FROM lines (or the default of the ARG a FROM is built
// from) and of a compose file's image: keys, asks the registry what each
// tag names now, and rewrites each reference as tag@digest, keeping the
// tag so that people still read which release it is.
//
// It is the one place `shipshape fix --pin` reaches the network, kept out
// of the engine and the rules (internal/archtest forbids network code
// there), so that linting and every other fix stay offline. The digest of
// a multi-platform image is its index's, as `docker pull` resolves it, so
// the pinned reference still serves every platform.
package pin

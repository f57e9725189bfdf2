// Package context holds shipshape's build-context rules (CX1xxx): what
// `docker build` would send, read from the buildctx model.
package context

// Package cachekey derives the image layer cache key from declarations:
// what a scanner or cataloger says it reads and keeps (its name, version,
// file patterns and size limits), as plain data. The key of a declaration
// is its name and a digest of its JSON encoding, so that any change to a
// declared field changes the key and invalidates the layers cached under
// the old one, without anyone remembering to bump a version string.
package cachekey

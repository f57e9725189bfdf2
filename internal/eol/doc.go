// Package eol knows when releases of base-image distributions and language
// runtimes stop receiving security fixes, and which release an image tag
// names.
//
// The embedded table (data.json) uses the shape of the endoflife.date API,
// an object of product name to an array of cycles, so that a newer export
// of that API can extend or override it offline (see Load and Merge). The
// table is dated by AsOf: a release whose end of life was announced after
// that date is unknown to it, and nothing is reported for unknown releases.
//
// Nothing in this package reads the clock; callers pass the time to compare
// against, so that results are reproducible.
package eol

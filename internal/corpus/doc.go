// Package corpus finds the shared conformance material (`../shared` beside
// the module, or $SHIPSHAPE_SHARED) and loads the peer tools' test corpora
// in it: KICS, Trivy, Checkov and BuildKit samples with their expectations,
// and the catalogues of peer check identifiers. It holds only loaders; how
// agreement is judged lives in internal/conformance.
//
// The corpus itself is read-only data from other projects' test suites;
// nothing here edits it. See ../shared/corpus/README.md for its formats.
package corpus

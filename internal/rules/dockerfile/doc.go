// Package dockerfile holds shipshape's Dockerfile rules, one file per rule,
// each a *rule.Rule value listed in registry.go. Fixtures live in
// testdata/<ID>/: bad_*.Dockerfile files annotate the findings they must
// produce with `# want ID "regexp"` on the line above the target line, and
// ok_*.Dockerfile files must produce no finding of that rule.
//
// Rules read only the parsed model (internal/dockerfile); they never parse
// text themselves and never touch the network or the file system.
package dockerfile

// Package dockerfile holds shipshape's Dockerfile rules, one file per rule,
// each a *rule.Rule value listed in registry.go. Fixtures live in
// testdata/<ID>/: bad_*.Dockerfile files annotate the findings they must
// produce with `# want ID "regexp"` on the line above the target line, and
// ok_*.Dockerfile files must produce no finding of that rule.
//
// Rules read only the parsed model (internal/dockerfile); they never parse
// text themselves and never touch the network or the file system. What
// several rules need to know (the stages that ship, the USER in force, the
// commands of every RUN, where a command or flag is in the source) is a
// query of the model, not a helper here, so that rules agree; a helper that
// only one rule family needs lives in the file of the rule that introduced
// it, and messages.go keeps the way messages cut and list things alike.
package dockerfile

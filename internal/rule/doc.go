// Package rule is shipshape's rule framework: the Rule value every check is
// declared as, the Pass a check reports through, findings, settings, inline
// suppressions and the post-processing every command shares (suppress,
// override severity, dedupe, sort).
//
// Rules are plain values listed in explicit registries; nothing registers
// itself in init. The same value drives `shipshape rules`, `shipshape
// explain`, the SARIF rule table, docs/rules/ and the mapping from other
// tools' ignore pragmas.
package rule

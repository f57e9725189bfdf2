package rule

import (
	"fmt"
	"regexp"
	"strings"
)

// hadolint reads three ignore comments (its README, "Ignoring Rules"):
//
//	# hadolint ignore=DL3008,SC2086           the next instruction
//	# hadolint stage ignore=DL3008            the rest of the stage
//	# hadolint global ignore=DL3008           the whole file
//
// each optionally followed by `# a reason`. A code is made of the letters
// D, L, S, C and digits; a list holding anything else is not a pragma for
// hadolint at all, so shipshape honours it neither and says so (DF1002)
// rather than let a team believe a check is silenced.
var (
	reHadolintPragma = regexp.MustCompile(`^hadolint[ \t]+(?:(global|stage)[ \t]+)?ignore[ \t]*=[ \t]*([^#]*?)[ \t]*(?:#[ \t]*(.*))?$`)
	reHadolintCode   = regexp.MustCompile(`^[DLSC0-9]+$`)
	reHadolintStart  = regexp.MustCompile(`^hadolint\b`)
)

// ScopeStage is the scope of a pragma that covers the instructions from the
// next one to the end of its stage (hadolint's `stage ignore`); the caller
// fills Target with that span.
const ScopeStage PragmaScope = ScopeFile + 1

// parseHadolintPragma recognises a hadolint ignore comment; ok is false
// for comments that are not about hadolint ignores (`# hadolint shell=`).
func parseHadolintPragma(t string, line int) (Pragma, bool) {
	if !reHadolintStart.MatchString(t) || !strings.Contains(t, "ignore") {
		return Pragma{}, false
	}
	p := Pragma{Tool: "hadolint", Scope: ScopeNext, Line: line, Reason: "hadolint pragma"}
	m := reHadolintPragma.FindStringSubmatch(t)
	if m == nil {
		p.Problem = "is not one hadolint reads: write `# hadolint ignore=DL3008`, `# hadolint stage ignore=DL3008` or `# hadolint global ignore=DL3008`"
		return p, true
	}
	switch m[1] {
	case "global":
		p.Scope = ScopeFile
	case "stage":
		p.Scope = ScopeStage
	}
	if r := strings.TrimSpace(m[3]); r != "" {
		p.Reason = r
	}
	for _, id := range strings.Split(m[2], ",") {
		if id = strings.TrimSpace(id); id != "" {
			p.IDs = append(p.IDs, id)
		}
	}
	if len(p.IDs) == 0 {
		p.Problem = "names no hadolint rule code"
		return p, true
	}
	for _, id := range p.IDs {
		if !reHadolintCode.MatchString(id) {
			p.Problem = hadolintCodeProblem(id)
			break
		}
	}
	return p, true
}

// hadolintCodeProblem explains a name hadolint does not take as a code.
func hadolintCodeProblem(id string) string {
	if idPattern.MatchString(strings.ToUpper(id)) {
		return fmt.Sprintf("names %s, a shipshape rule, which hadolint does not know; write `# shipshape ignore=%s -- reason`", id, strings.ToUpper(id))
	}
	return fmt.Sprintf("names %q, which is no hadolint rule code (DL or SC and digits), so hadolint ignores the whole comment", id)
}

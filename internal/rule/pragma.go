package rule

import (
	"regexp"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// PragmaScope says what a pragma covers.
type PragmaScope int

// Scopes: the next instruction (or YAML key), or the whole file.
const (
	ScopeNext PragmaScope = iota + 1
	ScopeFile
)

// Pragma is one ignore comment, native or from another tool.
type Pragma struct {
	// Tool is "shipshape" or the foreign tool (hadolint, trivy, checkov,
	// buildkit) whose syntax was recognised.
	Tool  string
	Scope PragmaScope
	// IDs are the identifiers as written (shipshape IDs, or the foreign
	// tool's). "all" stands for every rule the tool maps to.
	IDs    []string
	Reason string
	Line   int
	// Target is the span the pragma covers when Scope is ScopeNext or
	// ScopeStage; the caller fills it from the input's structure.
	Target loc.Range
	// Problem is set when a native pragma is malformed (no reason).
	Problem string
}

var (
	reNative   = regexp.MustCompile(`^shipshape\s+(ignore|file-ignore)\s*=\s*([A-Za-z0-9_,\s-]*?)\s*(?:--\s*(.*))?$`)
	reTrivy    = regexp.MustCompile(`^trivy:ignore:([A-Za-z0-9_-]+)`)
	reCheckov  = regexp.MustCompile(`^checkov:skip=([A-Za-z0-9_]+)(?::(.*))?`)
	reBuildkit = regexp.MustCompile(`^check\s*=\s*(.*)$`)
)

// ParsePragma recognises an ignore comment. text is the comment without its
// leading '#'.
func ParsePragma(text string, line int) (Pragma, bool) {
	t := strings.TrimSpace(text)
	// Nearly every comment is prose; skip the regexes unless a pragma
	// keyword is present.
	if !strings.Contains(t, "ignore") && !strings.Contains(t, "skip") {
		return Pragma{}, false
	}
	if m := reNative.FindStringSubmatch(t); m != nil {
		p := Pragma{Tool: "shipshape", Scope: ScopeNext, Line: line, IDs: splitIDs(m[2]), Reason: strings.TrimSpace(m[3])}
		if m[1] == "file-ignore" {
			p.Scope = ScopeFile
		}
		if len(p.IDs) == 0 {
			p.Problem = "names no rule id"
		} else if p.Reason == "" {
			p.Problem = "has no reason: write `-- why this is acceptable` after the ids"
		}
		return p, true
	}
	if strings.HasPrefix(t, "shipshape") && strings.Contains(t, "ignore") {
		return Pragma{Tool: "shipshape", Scope: ScopeNext, Line: line, Problem: "is malformed: use `# shipshape ignore=ID[,ID] -- reason`"}, true
	}
	if p, ok := parseHadolintPragma(t, line); ok {
		return p, true
	}
	if m := reTrivy.FindStringSubmatch(t); m != nil {
		return Pragma{Tool: "trivy", Scope: ScopeNext, Line: line, IDs: []string{m[1]}, Reason: "trivy pragma"}, true
	}
	if m := reCheckov.FindStringSubmatch(t); m != nil {
		reason := strings.TrimSpace(m[2])
		if reason == "" {
			reason = "checkov pragma"
		}
		return Pragma{Tool: "checkov", Scope: ScopeFile, Line: line, IDs: []string{m[1]}, Reason: reason}, true
	}
	if m := reBuildkit.FindStringSubmatch(t); m != nil {
		// BuildKit allows a trailing `// remark` after the directive value.
		val, _, _ := strings.Cut(m[1], "//")
		for _, part := range strings.Split(val, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && strings.TrimSpace(k) == "skip" {
				return Pragma{Tool: "buildkit", Scope: ScopeFile, Line: line, IDs: splitIDs(v), Reason: "BuildKit check=skip directive"}, true
			}
		}
	}
	return Pragma{}, false
}

func splitIDs(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		out = append(out, strings.TrimSpace(f))
	}
	return out
}

// Covers reports whether a pragma names rule r, directly or through the
// rule's declared peers.
func (p Pragma) Covers(r *Rule) bool {
	for _, id := range p.IDs {
		if p.Tool == "shipshape" {
			if strings.EqualFold(id, r.ID) {
				return true
			}
			for _, a := range r.Aliases {
				if strings.EqualFold(id, a) {
					return true
				}
			}
			continue
		}
		if strings.EqualFold(id, "all") && len(r.PeerIDs(p.Tool)) > 0 {
			return true
		}
		for _, pid := range r.PeerIDs(p.Tool) {
			if normPeer(pid) == normPeer(id) {
				return true
			}
		}
	}
	return false
}

func normPeer(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "AVD-")
	// Trivy accepts DS002 and DS-0002 for the same check.
	if strings.HasPrefix(s, "DS") {
		digits := strings.TrimLeft(strings.TrimPrefix(s, "DS"), "-0")
		return "DS" + digits
	}
	return s
}

// Suppress marks findings covered by pragmas and returns the pragmas that
// covered nothing (native ones only: foreign pragmas may name checks
// shipshape does not have). Findings of rules in exempt are never
// suppressed (parse errors and pragma problems themselves).
func Suppress(fs []Finding, pragmas []Pragma, reg *Registry, exempt map[string]bool) (unused []Pragma) {
	used := make([]bool, len(pragmas))
	for i := range fs {
		f := &fs[i]
		if f.Suppression != nil || exempt[f.RuleID] {
			continue
		}
		r, ok := reg.Get(f.RuleID)
		if !ok {
			continue
		}
		for j, p := range pragmas {
			if p.Problem != "" || !p.Covers(r) {
				continue
			}
			if p.Scope == ScopeNext || p.Scope == ScopeStage {
				t := p.Target.Normalized()
				if t.Line == 0 || f.Range.Line < t.Line || f.Range.Line > t.EndLine {
					continue
				}
			}
			kind := p.Tool
			if p.Tool == "shipshape" {
				kind = "inline"
				if p.Scope == ScopeFile {
					kind = "file"
				}
			}
			f.Suppression = &Suppression{Kind: kind, Justification: p.Reason, Line: p.Line}
			used[j] = true
			break
		}
	}
	for j, p := range pragmas {
		if p.Tool == "shipshape" && p.Problem == "" && !used[j] {
			unused = append(unused, p)
		}
	}
	return unused
}

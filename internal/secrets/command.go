package secrets

import (
	"regexp"
	"sort"
	"strings"
)

// reAssignment finds NAME=value assignments in a command line or a history
// entry: `export TOKEN=abc`, `echo 'AWS_SECRET_ACCESS_KEY=...' > f`,
// BuildKit's `|2 TOKEN=abc /bin/sh -c ...` build-argument prefix. The value
// stops at whitespace, a quote or a shell operator.
var reAssignment = regexp.MustCompile(`(?:^|[\s'";|&(])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s'";|&)]+)`)

// InCommand returns the credentials written into a command line or an
// image history entry, with Start and End in s: tokens recognisable by
// their shape, passwords in URLs, and NAME=value assignments that Pair
// judges a credential. Overlapping findings are reported once.
func InCommand(s string) []Finding {
	out := Tokens(s)
	out = append(out, URLPasswords(s)...)
	for _, m := range reAssignment.FindAllStringSubmatchIndex(s, -1) {
		name, value := s[m[2]:m[3]], s[m[4]:m[5]]
		if f, ok := Pair(name, value); ok {
			f.Start += m[4]
			f.End += m[4]
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	kept := out[:0]
	end := -1
	for _, f := range out {
		if f.Start < end {
			continue
		}
		kept = append(kept, f)
		end = f.End
	}
	return kept
}

// Redact returns s with every credential InCommand finds replaced by its
// masked form, so that a command line or history entry can be shown
// (in a message, a JSON instruction field) without disclosing a secret.
func Redact(s string) string {
	fs := InCommand(s)
	if len(fs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, f := range fs {
		if f.Start < last || f.End > len(s) {
			continue
		}
		b.WriteString(s[last:f.Start])
		b.WriteString(f.Match)
		last = f.End
	}
	b.WriteString(s[last:])
	return b.String()
}

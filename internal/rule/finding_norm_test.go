package rule

import (
	"strings"
	"testing"
)

// TestNormalizeTokenFastPath: the fast path returns what the definition
// (strings.Fields joined by one space) does, on normal and abnormal tokens.
func TestNormalizeTokenFastPath(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\u00a0b", "a\u0085b", "\u3000a", "RUN apt-get install -y curl",
		"x\v", "\f", "a b c", "a b  c", "é b", "a\rb", "  "} {
		if got, want := normalizeToken(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("normalizeToken(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzNormalizeToken(f *testing.F) {
	f.Add("a  b")
	f.Add(" x\ty ")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normalizeToken(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("normalizeToken(%q) = %q, want %q", s, got, want)
		}
	})
}

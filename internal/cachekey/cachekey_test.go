package cachekey_test

import (
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/cachekey"
)

type decl struct {
	Name     string
	Version  int
	Patterns []string
	skipped  int
}

// TestOfFollowsEveryExportedField checks that each exported field of a
// declaration changes the key, and that the same declaration always gives
// the same key.
func TestOfFollowsEveryExportedField(t *testing.T) {
	base := decl{Name: "dpkg", Version: 1, Patterns: []string{"/var/lib/dpkg/status"}}
	k := cachekey.Of("sbom", base)
	if !strings.HasPrefix(k, "sbom-") || len(k) != len("sbom-")+16 {
		t.Fatalf("key %q", k)
	}
	if again := cachekey.Of("sbom", decl{Name: "dpkg", Version: 1, Patterns: []string{"/var/lib/dpkg/status"}}); again != k {
		t.Errorf("same declaration, keys %q and %q", k, again)
	}
	for name, d := range map[string]decl{
		"name":     {Name: "apk", Version: 1, Patterns: base.Patterns},
		"version":  {Name: "dpkg", Version: 2, Patterns: base.Patterns},
		"patterns": {Name: "dpkg", Version: 1, Patterns: []string{"/var/lib/dpkg/status", "/var/lib/dpkg/status.d/*"}},
	} {
		if cachekey.Of("sbom", d) == k {
			t.Errorf("changing the %s left the key %q", name, k)
		}
	}
	if cachekey.Of("sbom", decl{Name: "dpkg", Version: 1, Patterns: base.Patterns, skipped: 9}) != k {
		t.Errorf("an unexported field changed the key")
	}
}

func TestJoin(t *testing.T) {
	if got := cachekey.Join("", "capture-1", "", "sbom-2"); got != "capture-1+sbom-2" {
		t.Errorf("Join = %q", got)
	}
}

func TestOfPanicsOnFunc(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a func declaration did not panic")
		}
	}()
	cachekey.Of("bad", func() {})
}

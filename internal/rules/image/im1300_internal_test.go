package image

import (
	"strings"
	"testing"
)

// TestMayBeCache checks the pre-filter against every pattern of
// cacheKinds: a path holding any of them must pass it, or cacheOf would
// miss that cache.
func TestMayBeCache(t *testing.T) {
	for _, k := range cacheKinds {
		p := k.pattern + "file"
		if !strings.HasPrefix(k.pattern, "/var/") && !strings.HasPrefix(k.pattern, "/usr/") {
			p = "/home/app" + p
		}
		if !mayBeCache(p) {
			t.Errorf("mayBeCache(%q) = false, but %q is a pattern of cacheKinds", p, k.pattern)
		}
		if _, _, ok := cacheOf(p); !ok {
			t.Errorf("cacheOf(%q) found no cache", p)
		}
	}
	for _, p := range []string{"/usr/lib/node_modules/pkg/lib/file.js", "/etc/passwd", "/go/pkg/mod/golang.org/x/net@v0.1.0/go.mod"} {
		if mayBeCache(p) {
			t.Errorf("mayBeCache(%q) = true", p)
		}
	}
}

package secrets

import (
	"path"
	"strings"
	"testing"
)

// fixtureReference is Fixture as first written, one search per package
// tree marker; the one-pass form must agree with it on every path.
func fixtureReference(p string) bool {
	if goToolchainSrc(p) {
		return true
	}
	i := -1
	for _, m := range packageTreeMarkers {
		if j := strings.Index(p, m); j >= 0 && (i < 0 || j < i) {
			i = j + len(m) - 1
		}
	}
	if j := pythonStdlib(p); j >= 0 && (i < 0 || j < i) {
		i = j
	}
	if i < 0 {
		return false
	}
	rest := p[i+1:]
	// Each directory of rest, without allocating: this runs on every
	// file of every layer.
	for {
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			break
		}
		if d := rest[:j]; fixtureDirs[d] || fixtureDirs[strings.ToLower(d)] {
			return true
		}
		rest = rest[j+1:]
	}
	b := rest
	return strings.HasPrefix(strings.ToLower(b), "example") || strings.HasSuffix(b, "_test.go") || strings.HasPrefix(b, "test_") && strings.HasSuffix(b, ".py") ||
		strings.HasSuffix(b, "_test.py") || strings.Contains(b, ".test.") || strings.Contains(b, ".spec.")
}

// FuzzFixture checks Fixture against fixtureReference.
func FuzzFixture(f *testing.F) {
	for _, p := range []string{
		"/usr/lib/node_modules/pkg/test/key.pem", "/x/node_modules/a/site-packages/b/tests/k", "/usr/lib/go/src/crypto/x.pem",
		"/usr/lib/python3.11/test/certdata/keycert.pem", "/root/go/pkg/mod/github.com/x/y@v1/testdata/k", "/app/testdata/k",
		"/var/lib/gems/3.1.0/gems/x/spec/k", "/usr/lib/python3/dist-packages/a/node_modules/b/examples/k", "/gems/", "/pkg/mod/x_test.go",
	} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := Fixture(p), fixtureReference(p); got != want {
			t.Fatalf("Fixture(%q) = %v, want %v", p, got, want)
		}
	})
}

// TestPackageTreeEveryMarker puts each marker after other markers and
// before them: the first in the path decides.
func TestPackageTreeEveryMarker(t *testing.T) {
	for _, a := range packageTreeMarkers {
		for _, b := range packageTreeMarkers {
			p := "/x" + a + "y" + b + "z/test/k"
			want := len("/x") + len(a) - 1
			if got := packageTree(p); got != want {
				t.Errorf("packageTree(%q) = %d, want %d", p, got, want)
			}
			if Fixture(p) != fixtureReference(p) {
				t.Errorf("Fixture(%q) differs from the reference", p)
			}
		}
	}
	if got := packageTree("/usr/local/lib/app/config.json"); got != -1 {
		t.Errorf("packageTree without a marker = %d", got)
	}
}

// FuzzCleanAbs checks cleanAbs against path.Clean.
func FuzzCleanAbs(f *testing.F) {
	for _, p := range []string{"/", "", "/a", "a", "/a/", "//a", "/a/./b", "/a/../b", "/a/.", "/a/..", "/.", "/..", "/.a/..b/...", "/a//"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := cleanAbs(p), strings.HasPrefix(p, "/") && path.Clean(p) == p; got != want {
			t.Fatalf("cleanAbs(%q) = %v, want %v", p, got, want)
		}
		if got, want := CleanPath(p), path.Clean("/"+p); got != want {
			t.Fatalf("CleanPath(%q) = %q, want %q", p, got, want)
		}
	})
}

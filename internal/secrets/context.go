package secrets

import (
	"path"
	"strings"
)

// A detector's file context says in which files its pattern means what it
// says. Token shapes with a registered prefix (ghp_, AKIA, xoxb-) mean the
// same in any file; a key name followed by "=" does not: `_password = x`
// is npm's credential syntax only in an .npmrc, and `token = f(x)` is a
// credential only when the value is a literal, not an expression.

// npmrcFile reports a file npm reads its configuration from: .npmrc in a
// project or home directory, the global and built-in npmrc
// (/etc/npmrc, /usr/local/etc/npmrc, node_modules/npm/npmrc).
func npmrcFile(p string) bool {
	b := path.Base(p)
	return b == ".npmrc" || b == "npmrc" || strings.HasSuffix(b, ".npmrc")
}

// sourceExt are programming languages' source files: there, a value that is
// not a quoted literal is an expression (self.password = password,
// key_password: _PasswordType), never a credential.
var sourceExt = map[string]bool{
	".go": true, ".py": true, ".pyi": true, ".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".mts": true, ".cts": true,
	".jsx": true, ".tsx": true, ".rb": true, ".java": true, ".kt": true, ".scala": true, ".cs": true, ".c": true, ".h": true,
	".cc": true, ".cpp": true, ".hpp": true, ".rs": true, ".php": true, ".pl": true, ".pm": true, ".swift": true, ".lua": true,
	".dart": true, ".groovy": true, ".ex": true, ".exs": true, ".erl": true, ".hs": true, ".ml": true, ".r": true, ".jl": true,
}

// sourceFile reports a programming language's source file by its name.
func sourceFile(p string) bool { return sourceExt[strings.ToLower(path.Ext(p))] }

// packageTreeMarkers are directories that hold code published by others
// and installed by a package manager or a toolchain: Go's standard library
// source (Debian's /usr/lib/go-1.19 links into /usr/share/go-1.19), the Go
// module cache, Python's standard library and installed distributions,
// node_modules, Ruby gems.
var packageTreeMarkers = []string{
	"/usr/lib/go/src/", "/usr/local/go/src/", "/pkg/mod/", "/site-packages/", "/dist-packages/", "/node_modules/", "/gems/",
}

// fixtureDirs are the directories in which packages keep test and example
// material: test keys, recorded responses, documented sample output.
var fixtureDirs = map[string]bool{
	"test": true, "tests": true, "testdata": true, "testing": true, "__tests__": true, "fixtures": true, "fixture": true,
	"examples": true, "example": true, "certdata": true, "test_data": true, "spec": true,
}

// goToolchainSrc reports a path in a Go toolchain's own source tree
// (/usr/local/go/src, /usr/lib/go-1.19/src, /usr/share/go-1.19/src): the
// standard library ships its test keys beside the code (crypto/tls
// example_test.go, crypto/x509/platform_root_key.pem, testdata/*.pem), all
// of them published with Go itself.
func goToolchainSrc(p string) bool {
	for _, pre := range []string{"/usr/lib/go-", "/usr/share/go-"} {
		if strings.HasPrefix(p, pre) {
			rest := p[len(pre):]
			if i := strings.IndexByte(rest, '/'); i > 0 && strings.HasPrefix(rest[i:], "/src/") {
				return true
			}
		}
	}
	return strings.HasPrefix(p, "/usr/local/go/src/") || strings.HasPrefix(p, "/usr/lib/go/src/")
}

// Fixture reports a file that is a published package's test or example
// material rather than the image's own configuration: anything in a Go
// toolchain's source tree, and, inside a package tree (site-packages,
// node_modules, the Go module cache, Python's standard library), files in
// test or example directories, example files (botocore's
// examples-1.json) and test files by their name (_test.go, test_*.py,
// *.test.js, *.spec.ts). A credential there was published with
// the package for everyone; reporting it as a leak of this image is noise
// (every image with python3 or a Go toolchain would have some). The same
// names in the image's own application directories (/app/testdata) are
// not fixtures: the image's authors put them there.
func Fixture(p string) bool {
	if goToolchainSrc(p) {
		return true
	}
	i := packageTree(p)
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

// packageTree returns the offset of the slash that ends the first of
// packageTreeMarkers in p, or -1. Every marker starts with a slash, so
// only the slashes of p are tried: one pass over p, where a search per
// marker took seven, and this runs on every file of every layer.
func packageTree(p string) int {
	for j := 0; j < len(p); j++ {
		k := strings.IndexByte(p[j:], '/')
		if k < 0 {
			return -1
		}
		j += k
		if j+1 == len(p) {
			return -1
		}
		for _, m := range markersBySecond[p[j+1]] {
			if strings.HasPrefix(p[j:], m) {
				return j + len(m) - 1
			}
		}
	}
	return -1
}

// markersBySecond lists packageTreeMarkers by their second byte (the one
// after the leading slash), so that packageTree tries at each slash only
// the markers that can start there: most slashes start none.
var markersBySecond = func() (t [256][]string) {
	for _, m := range packageTreeMarkers {
		t[m[1]] = append(t[m[1]], m)
	}
	return t
}()

// pythonStdlib returns the offset of the slash that ends ".../lib/python3.X"
// (Python's standard library: its test/ package holds test keys), or -1.
func pythonStdlib(p string) int {
	j := strings.Index(p, "/lib/python3")
	if j < 0 {
		return -1
	}
	k := strings.IndexByte(p[j+len("/lib/python3"):], '/')
	if k < 0 {
		return -1
	}
	return j + len("/lib/python3") + k
}

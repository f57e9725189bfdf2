package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden are the dependencies the rule framework, the report formats,
// the configuration and every rule package must never reach, even
// transitively: registry and archive code, the network, subprocesses.
// Rules are pure functions of an input model; anything that fetches or
// executes lives in the engine and the readers.
var forbidden = []string{
	"github.com/google/go-containerregistry",
	"net/http",
	"os/exec",
}

// pure are the package patterns that must stay free of them.
var pure = []string{
	"github.com/shipshape-sec/shipshape/internal/rule",
	"github.com/shipshape-sec/shipshape/internal/report",
	"github.com/shipshape-sec/shipshape/internal/config",
	"github.com/shipshape-sec/shipshape/internal/rules/...",
}

// deps lists the transitive dependencies of each package matching pattern,
// keyed by package, from `go list -deps`.
func deps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}", pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	res := map[string][]string{}
	for _, pkg := range strings.Fields(string(out)) {
		d, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		res[pkg] = strings.Fields(string(d))
	}
	return res
}

// offending returns the forbidden dependencies in ds.
func offending(ds []string) []string {
	var bad []string
	for _, d := range ds {
		for _, f := range forbidden {
			if d == f || strings.HasPrefix(d, f+"/") {
				bad = append(bad, d)
			}
		}
	}
	return bad
}

func TestRuleFrameworkImportsNoNetworkOrRegistryCode(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	n := 0
	for _, pattern := range pure {
		for pkg, ds := range deps(t, pattern) {
			n++
			if bad := offending(ds); len(bad) > 0 {
				t.Errorf("%s depends on %s; rules and the framework must not reach registry, network or subprocess code (move it behind the engine)", pkg, strings.Join(bad, ", "))
			}
		}
	}
	if n < 7 {
		t.Fatalf("checked only %d packages; the patterns no longer match the tree", n)
	}
}

// TestCheckDetectsForbiddenDependencies is the control: the image reader
// does use go-containerregistry, and the check must see it.
func TestCheckDetectsForbiddenDependencies(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	for pkg, ds := range deps(t, "github.com/shipshape-sec/shipshape/internal/imageread") {
		if len(offending(ds)) == 0 {
			t.Fatalf("%s shows no forbidden dependency: the check cannot see what it should", pkg)
		}
	}
}

// TestProductDoesNotImportTestHelpers keeps the test image builder
// (internal/imagetest) out of the shipshape binary and its packages.
func TestProductDoesNotImportTestHelpers(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH")
	}
	const helper = "github.com/shipshape-sec/shipshape/internal/imagetest"
	for _, pattern := range []string{"github.com/shipshape-sec/shipshape/cmd/...", "github.com/shipshape-sec/shipshape/internal/..."} {
		for pkg, ds := range deps(t, pattern) {
			if pkg == helper {
				continue
			}
			for _, d := range ds {
				if d == helper {
					t.Errorf("%s depends on %s, which is for tests only", pkg, helper)
				}
			}
		}
	}
}

package sbom

import (
	"fmt"
	"strings"
	"testing"
)

func goModRows(pkgs []Package) string {
	var b strings.Builder
	for _, p := range pkgs {
		fmt.Fprintf(&b, "%s@%s ", p.Name, p.Version)
	}
	return strings.TrimSpace(b.String())
}

// TestParseGoMod: requirements with replace and exclude applied, local
// replacements left out (no version to match), and a pre-1.17 go.mod
// completed from go.sum's full checksums (not its /go.mod-only lines).
func TestParseGoMod(t *testing.T) {
	cases := []struct{ name, mod, sum, want string }{
		{"requirements", "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.7.0\n\tgithub.com/a/b v1.2.3 // indirect\n)\n", "",
			"example.com/app@ golang.org/x/net@v0.7.0 github.com/a/b@v1.2.3"},
		{"replace and exclude", "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.7.0\n\tgithub.com/a/b v1.2.3\n\tgithub.com/c/d v0.1.0\n)\n" +
			"replace golang.org/x/net => golang.org/x/net v0.23.0\nreplace github.com/c/d => ../d\nexclude github.com/a/b v1.2.3\n", "",
			"example.com/app@ golang.org/x/net@v0.23.0"},
		{"old go.mod completed from go.sum", "module example.com/old\n\ngo 1.13\n\nrequire github.com/a/b v1.2.3\n",
			"github.com/a/b v1.2.3 h1:x=\ngithub.com/a/b v1.2.3/go.mod h1:y=\ngithub.com/e/f v0.1.0 h1:z=\ngithub.com/e/f v0.2.0 h1:w=\ngithub.com/g/h v1.0.0/go.mod h1:v=\n",
			"example.com/old@ github.com/a/b@v1.2.3 github.com/e/f@v0.2.0"},
		{"new go.mod ignores go.sum extras", "module example.com/new\n\ngo 1.21\n\nrequire github.com/a/b v1.2.3\n",
			"github.com/e/f v0.1.0 h1:z=\n", "example.com/new@ github.com/a/b@v1.2.3"},
		{"not a go.mod", "this is not go.mod syntax {", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := goModRows(parseGoMod([]byte(c.mod), []byte(c.sum), "/src/go.mod")); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestParseGoToolchain(t *testing.T) {
	for in, want := range map[string]string{
		"go1.19.8":                            "stdlib@v1.19.8",
		"go1.26.8\ntime 2026-08-28T16:20:06Z": "stdlib@v1.26.8",
		"go1.21.0\n":                          "stdlib@v1.21.0",
		"devel +abc":                          "",
		"":                                    "",
	} {
		if got := goModRows(parseGoToolchain([]byte(in), "/usr/lib/go-1.19/VERSION")); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

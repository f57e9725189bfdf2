package sbom_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// rpmOracle reads the expected package list of one go-rpmdb test database
// from go-rpmdb's own test source, whose rows its authors generated with
// `rpm -qa --queryformat` inside the real container (centos:5,
// registry.suse.com/bci, fedora:35): {epoch, name, version, release, arch,
// sourcerpm, ...}. It is parsed as Go syntax, not run.
func rpmOracle(t *testing.T, modDir, varName string) []row {
	t.Helper()
	src := filepath.Join(modDir, "pkg", "rpmdb_testcase_test.go")
	f, err := parser.ParseFile(token.NewFileSet(), src, nil, 0)
	if err != nil {
		skipOutsideCI(t, "go-rpmdb test cases: %v", err)
	}
	var rows []row
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != varName {
			return true
		}
		ast.Inspect(vs.Values[0], func(n ast.Node) bool {
			cl, ok := n.(*ast.CompositeLit)
			if !ok || len(cl.Elts) < 6 {
				return true
			}
			call, ok := cl.Elts[0].(*ast.CallExpr)
			if !ok {
				return true
			}
			str := func(i int) string {
				lit, ok := cl.Elts[i].(*ast.BasicLit)
				if !ok {
					return ""
				}
				s, _ := strconv.Unquote(lit.Value)
				return s
			}
			v := str(2) + "-" + str(3)
			if len(call.Args) == 1 {
				if e := call.Args[0].(*ast.BasicLit).Value; e != "0" {
					v = e + ":" + v
				}
			}
			if str(1) == "gpg-pubkey" {
				// Imported signing keys are not software; rpm lists them
				// as packages without a source rpm.
				return false
			}
			srpm := strings.TrimSuffix(str(5), ".src.rpm")
			srcName := ""
			if i := strings.LastIndex(srpm, "-"); i > 0 {
				if j := strings.LastIndex(srpm[:i], "-"); j > 0 {
					srcName = srpm[:j]
				}
			}
			rows = append(rows, row{str(1), v, srcName, ""})
			return false
		})
		return false
	})
	if len(rows) == 0 {
		t.Fatalf("no rows for %s in %s", varName, src)
	}
	return sortRows(rows)
}

// TestRPMDatabases reads real rpm databases of the three formats, from
// go-rpmdb's test data in the module cache (not copied here for their
// size), placed where each distribution keeps it.
func TestRPMDatabases(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/knqyf263/go-rpmdb").Output()
	if err != nil {
		skipOutsideCI(t, "go-rpmdb module directory: %v", err)
	}
	modDir := strings.TrimSpace(string(out))
	for _, tc := range []struct {
		name, file, dest, oracle string
	}{
		{"bdb", "centos5-plain/Packages", "var/lib/rpm/Packages", "CentOS5Plain"},
		{"ndb", "sle15-bci/Packages.db", "usr/lib/sysimage/rpm/Packages.db", "SLE15WithNDB"},
		{"sqlite", "fedora35/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite", "Fedora35WithSQLite3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(modDir, "pkg", "testdata", tc.file))
			if err != nil {
				skipOutsideCI(t, "go-rpmdb test data: %v", err)
			}
			root := imagetest.Tree(t, map[string]string{tc.dest: string(data)})
			want := rpmOracle(t, modDir, tc.oracle)
			s := catalogDir(t, root)
			got := rowsOf(s, "rpm")
			for i := range got {
				got[i].srcVersion = ""
			}
			compareRows(t, got, want)
			for _, p := range s.Packages {
				if p.Ecosystem != sbom.EcoRPM || !strings.HasPrefix(p.PURL, "pkg:rpm/") {
					t.Errorf("%s: %s %s", p.Name, p.Ecosystem, p.PURL)
				}
			}
			if len(s.Notes) != 0 {
				t.Errorf("notes %q", s.Notes)
			}
			t.Logf("%d packages", len(got))
		})
	}
}

func skipOutsideCI(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

package vuln

import (
	"archive/zip"
	"debug/buildinfo"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"golang.org/x/mod/semver"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// oldXNet is a golang.org/x/net release with many published advisories.
const oldXNet = "v0.7.0"

// buildProbe builds a small program against oldXNet and returns its path.
func buildProbe(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a Go program with a module download; skipped with -short")
	}
	dir := imagetest.Tree(t, map[string]string{
		"go.mod": "module example.com/probe\n\ngo 1.21\n\nrequire golang.org/x/net " + oldXNet + "\n",
		"main.go": `package main

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

func main() {
	doc, err := html.Parse(strings.NewReader("<p>hi</p>"))
	fmt.Println(doc != nil, err)
}
`,
	})
	run := func(args ...string) {
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			if os.Getenv("CI") == "" && strings.Contains(string(out), "dial") {
				t.Skipf("module proxy unreachable: %s", out)
			}
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
	}
	run("mod", "download", "golang.org/x/net@"+oldXNet)
	run("build", "-o", "probe", ".")
	return filepath.Join(dir, "probe")
}

// expectedGoIDs computes, independently of the matcher, the GO- ids of
// Go.zip that affect module at version: a straight walk of each SEMVER
// range's events in the order the Go database writes them.
func expectedGoIDs(t *testing.T, zipPath, module, version string) map[string]bool {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	want := map[string]bool{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		var rec struct {
			ID        string `json:"id"`
			Withdrawn string `json:"withdrawn"`
			Affected  []struct {
				Package struct{ Name string } `json:"package"`
				Ranges  []struct {
					Type   string              `json:"type"`
					Events []map[string]string `json:"events"`
				} `json:"ranges"`
			} `json:"affected"`
		}
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if rec.Withdrawn != "" {
			continue
		}
		for _, af := range rec.Affected {
			if af.Package.Name != module {
				continue
			}
			for _, r := range af.Ranges {
				in := false
				for _, e := range r.Events {
					if v, ok := e["introduced"]; ok && (v == "0" || semver.Compare(version, "v"+v) >= 0) {
						in = true
					}
					if v, ok := e["fixed"]; ok && semver.Compare(version, "v"+v) >= 0 {
						in = false
					}
				}
				if in {
					want[rec.ID] = true
				}
			}
		}
	}
	return want
}

func TestProofGoBinary(t *testing.T) {
	data := dataDir(t)
	bin := buildProbe(t)
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []sbom.Package
	for _, d := range bi.Deps {
		pkgs = append(pkgs, sbom.Package{Name: d.Path, Version: d.Version, Ecosystem: sbom.EcoGo, Location: "probe"})
	}
	pkgs = append(pkgs, sbom.Package{Name: "stdlib", Version: bi.GoVersion, Ecosystem: sbom.EcoGo, Location: "probe"})

	db := filepath.Join(t.TempDir(), "vuln.db")
	importInto(t, db, filepath.Join(data, "osv", "Go.zip"))
	store := openDB(t, db)
	res, err := Match(pkgs, nil, store, Options{OnSkip: func(err error) { t.Log("skip:", err) }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]bool{}
	for _, r := range res {
		if got[r.Package.Name] == nil {
			got[r.Package.Name] = map[string]bool{}
		}
		got[r.Package.Name][r.ID] = true
		if !strings.HasPrefix(r.ID, "GO-") {
			t.Errorf("%s: id %s, want the Go database's own GO- id", r.Package.Name, r.ID)
		}
		if r.Severity != rule.Unknown {
			t.Errorf("%s: Go vulndb records carry no severity, got %s", r.ID, r.Severity)
		}
	}
	zipPath := filepath.Join(data, "osv", "Go.zip")
	stdVer := GoSemver(bi.GoVersion)
	for _, m := range append(pkgs[:len(pkgs)-1:len(pkgs)-1], sbom.Package{Name: "stdlib", Version: stdVer}) {
		want := expectedGoIDs(t, zipPath, m.Name, m.Version)
		if !sameSet(got[m.Name], want) {
			t.Errorf("%s %s:\n got  %v\n want %v", m.Name, m.Version, keys(got[m.Name]), keys(want))
		}
	}
	xnet := got["golang.org/x/net"]
	if len(xnet) < 10 {
		t.Errorf("golang.org/x/net %s: %d advisories, expected the many published since (e.g. GO-2023-1988)", oldXNet, len(xnet))
	}
	if !xnet["GO-2023-1988"] { // html: improper rendering of text nodes, fixed in v0.13.0
		t.Error("GO-2023-1988 not matched for golang.org/x/net " + oldXNet)
	}
	t.Logf("golang.org/x/net %s: %d GO- ids; stdlib %s: %d", oldXNet, len(xnet), bi.GoVersion, len(got["stdlib"]))
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

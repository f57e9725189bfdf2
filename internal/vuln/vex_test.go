package vuln

import (
	"os"
	"path/filepath"
	"testing"
)

func TestVEXNotAffected(t *testing.T) {
	data := dataDir(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "vuln.db")
	importInto(t, db, filepath.Join(data, "alpine", "secdb", "v3.10", "main.json"))
	doc := `{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "test",
  "timestamp": "2026-11-24T12:00:00Z",
  "version": 1,
  "statements": [{
    "vulnerability": {"name": "CVE-2020-1967"},
    "products": [{"@id": "pkg:apk/alpine/libssl1.1@1.1.1d-r2"}],
    "status": "not_affected",
    "justification": "vulnerable_code_not_in_execute_path"
  }]
}`
	vexPath := filepath.Join(dir, "doc.openvex.json")
	if err := os.WriteFile(vexPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := LoadVEX(vexPath)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(data, "alpine", "alpine-310-metadata")
	pkgs := readApkInstalled(t, filepath.Join(root, "lib", "apk", "db", "installed"))
	for i := range pkgs {
		pkgs[i].PURL = "pkg:apk/alpine/" + pkgs[i].Name + "@" + pkgs[i].Version + "?arch=x86_64"
	}
	res, err := Match(pkgs, readOSRelease(t, filepath.Join(root, "etc", "os-release")), openDB(t, db), Options{NotAffected: v.NotAffected("")})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]FixState{}
	for _, r := range res {
		if r.ID == "CVE-2020-1967" {
			states[r.Package.Name] = r.FixState
		}
	}
	if states["libssl1.1"] != FixStateNotAffected || states["libcrypto1.1"] != FixStateFixed {
		t.Errorf("VEX states: %v", states)
	}
	if f := Findings(res, "img"); len(f) != len(res) {
		t.Fatal("findings lost")
	} else {
		for _, x := range f {
			if x.RuleID == "CVE-2020-1967" && x.Vuln.Package == "libssl1.1" && x.Suppression == nil {
				t.Error("not-affected finding is not suppressed")
			}
		}
	}
}

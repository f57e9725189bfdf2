package vuln

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	bolt "go.etcd.io/bbolt"
)

// writeCorruptZip copies the first n records of src and then adds a
// record that is not JSON: an archive that fails mid-way.
func writeCorruptZip(t *testing.T, src, dst string, n int) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for i, f := range zr.File {
		if i == n {
			w, _ := zw.Create("GO-9999-9999.json")
			w.Write([]byte(`{"id": "GO-9999-9999", "affected": [`)) // truncated
		}
		rc, _ := f.Open()
		w, _ := zw.Create(f.Name)
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
}

func TestImportAtomic(t *testing.T) {
	data := dataDir(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "vuln.db")
	importInto(t, db, filepath.Join(data, "alpine", "secdb", "v3.11", "main.json"))
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}

	bad := filepath.Join(dir, "bad.zip")
	writeCorruptZip(t, filepath.Join(data, "osv", "Go.zip"), bad, 2000)
	w, err := Create(db)
	if err != nil {
		t.Fatal(err)
	}
	// A good source first, then the corrupt one: neither may land.
	if _, err := Import(w, filepath.Join(data, "osv", "PyPI.zip"), "PyPI.zip", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(w, bad, bad, testNow); err == nil {
		t.Fatal("corrupt archive imported without error")
	}
	w.Abort()

	after, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("a failed import changed the database")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".vuln-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
	st, err := openDB(t, db).Status()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sources) != 1 || st.Sources[0].Name != "alpine-secdb:v3.11/main" {
		t.Errorf("sources after failed import: %+v", st.Sources)
	}
}

func TestReimportReplacesSource(t *testing.T) {
	data := dataDir(t)
	db := filepath.Join(t.TempDir(), "vuln.db")
	goZip := filepath.Join(data, "osv", "Go.zip")
	importInto(t, db, goZip, filepath.Join(data, "alpine", "secdb", "v3.11", "main.json"))
	d := openDB(t, db)
	first, _ := d.Lookup("Go", "golang.org/x/net")
	st1, _ := d.Status()
	d.Close()
	importInto(t, db, goZip)
	d = openDB(t, db)
	second, _ := d.Lookup("Go", "golang.org/x/net")
	st2, _ := d.Status()
	if len(first) == 0 || len(first) != len(second) {
		t.Errorf("x/net advisories: %d before, %d after re-import (must be replaced, not doubled)", len(first), len(second))
	}
	if st1.Advisory != st2.Advisory || len(st2.Sources) != 2 {
		t.Errorf("status changed on re-import: %+v vs %+v", st1, st2)
	}
	for _, s := range st2.Sources {
		if s.Name == "osv:Go" && s.Records != 4771 {
			t.Errorf("osv:Go records %d, want 4771 (4789 minus 18 withdrawn)", s.Records)
		}
	}
}

func TestCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"garbage": []byte("this is not a database\n"),
		"empty":   {},
		"zeroes":  make([]byte, 64<<10),
		"sqlite3": append([]byte("SQLite format 3\x00"), make([]byte, 8192)...),
		"notours": nil, // a valid bbolt file with another schema, below
	}
	for name, content := range cases {
		p := filepath.Join(dir, name+".db")
		if content != nil {
			os.WriteFile(p, content, 0o644)
		} else {
			w, _ := Create(p)
			w.db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte(bucketMeta)).Put([]byte(keySchema), []byte("999")) })
			w.Commit(testNow)
		}
		_, err := Open(p)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Open error %v, want ErrCorrupt", name, err)
		}
		if _, err := Create(p); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Create on top of a corrupt database: %v, want ErrCorrupt", name, err)
		}
	}
	// A truncated real database.
	data := dataDir(t)
	good := filepath.Join(dir, "good.db")
	importInto(t, good, filepath.Join(data, "osv", "Go.zip"))
	raw, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.db")
	os.WriteFile(trunc, raw[:len(raw)/3], 0o644)
	if _, err := Open(trunc); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated: %v, want ErrCorrupt", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.db")); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("missing: %v, want ErrNoDatabase", err)
	}
}

func TestPyPINamesAndAliasMerge(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	w, err := Create(db)
	if err != nil {
		t.Fatal(err)
	}
	w.BeginSource("test")
	rng := []Range{{Type: "ECOSYSTEM", Events: []Event{{Introduced: "0"}, {Fixed: "2.0"}}}}
	w.Add(Advisory{ID: "PYSEC-2000-1", Aliases: []string{"CVE-2000-1"}, Affected: []Affected{{Ecosystem: "PyPI", Package: "Foo_Bar", Ranges: rng}}})
	w.Add(Advisory{ID: "GHSA-aaaa-bbbb-cccc", Aliases: []string{"CVE-2000-1"}, Severity: []Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}},
		Affected: []Affected{{Ecosystem: "PyPI", Package: "foo.bar", Ranges: rng}}})
	w.Add(Advisory{ID: "GO-2000-1", Affected: []Affected{{Ecosystem: "Go", Package: "foo-bar", Ranges: rng}}})
	w.EndSource("test", testNow)
	if err := w.Commit(testNow); err != nil {
		t.Fatal(err)
	}
	pkgs := []sbom.Package{
		{Name: "foo-bar", Version: "1.0", Ecosystem: sbom.EcoPyPI, Location: "a/METADATA"},
		{Name: "foo-bar", Version: "1.0", Ecosystem: sbom.EcoPyPI, Location: "b/METADATA"},  // seen twice
		{Name: "foo-bar", Version: "1.0", Ecosystem: sbom.EcoNPM, Location: "package.json"}, // other ecosystem, same name
	}
	res, err := Match(pkgs, nil, openDB(t, db), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("got %d results, want one merged PyPI result: %+v", len(res), res)
	}
	r := res[0]
	if r.ID != "PYSEC-2000-1" || len(r.Aliases) != 2 || r.Severity != rule.High || r.FixedVersion != "2.0" || len(r.Locations) != 2 {
		t.Errorf("merged result: %+v", r)
	}
}

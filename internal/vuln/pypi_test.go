package vuln

import (
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// TestPyPIRealRecords: PYSEC-2018-28 (CVE-2018-18074) has a GIT range
// (ignored) and an ECOSYSTEM range fixed in 2.20.0.
func TestPyPIRealRecords(t *testing.T) {
	data := dataDir(t)
	db := filepath.Join(t.TempDir(), "vuln.db")
	importInto(t, db, filepath.Join(data, "osv", "PyPI.zip"))
	store := openDB(t, db)
	find := func(name, version string) map[string]Result {
		res, err := Match([]sbom.Package{{Name: name, Version: version, Ecosystem: sbom.EcoPyPI}}, nil, store,
			Options{OnSkip: func(err error) { t.Errorf("skipped: %v", err) }})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]Result{}
		for _, r := range res {
			m[r.ID] = r
		}
		return m
	}
	old := find("Requests", "2.19.1")
	r, ok := old["PYSEC-2018-28"]
	if !ok || r.FixedVersion != "2.20.0" || r.FixState != FixStateFixed {
		t.Errorf("requests 2.19.1: PYSEC-2018-28 fixed in 2.20.0 not reported: %+v", r)
	}
	if _, ok := find("requests", "2.20.0")["PYSEC-2018-28"]; ok {
		t.Error("requests 2.20.0 reported for PYSEC-2018-28")
	}
	// The same name in npm is another package.
	res, _ := Match([]sbom.Package{{Name: "requests", Version: "2.19.1", Ecosystem: sbom.EcoNPM}}, nil, store, Options{})
	if len(res) != 0 {
		t.Errorf("npm package matched PyPI advisories: %v", res)
	}
}

package vuln

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// TestSeverityFromAliases: Debian's OVAL gives CVE-2018-20097 (exiv2) no
// severity; the PyPI feed's PYSEC-2018-118 names it as an alias and
// carries a CVSS vector. With both imported the Debian match takes that
// severity and says where it came from; with OVAL alone it stays unknown.
// Re-importing PyPI replaces its entries; importing it again without the
// record would remove them.
func TestSeverityFromAliases(t *testing.T) {
	data := dataDir(t)
	oval := filepath.Join(data, "debian", "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2")
	pypi := filepath.Join(data, "osv", "PyPI.zip")
	pkgs := []sbom.Package{{Name: "libexiv2-27", Version: "0.27.2-1", SourceName: "exiv2", SourceVersion: "0.27.2-1", Ecosystem: sbom.EcoDebian}}
	distro := &sbom.Distro{ID: "debian", VersionID: "12"}
	find := func(db string) *Result {
		d := openDB(t, db)
		res, err := Match(pkgs, distro, d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range res {
			if res[i].ID == "CVE-2018-20097" {
				return &res[i]
			}
		}
		t.Fatalf("CVE-2018-20097 not matched for exiv2 0.27.2-1 (%d results)", len(res))
		return nil
	}

	alone := filepath.Join(t.TempDir(), "oval.db")
	importInto(t, alone, oval)
	if r := find(alone); r.Severity != rule.Unknown || r.SeverityFrom != "" {
		t.Errorf("OVAL alone: severity %s from %q, want unknown", r.Severity, r.SeverityFrom)
	}

	both := filepath.Join(t.TempDir(), "both.db")
	importInto(t, both, oval, pypi)
	r := find(both)
	if r.Severity == rule.Unknown || r.Score == 0 || !strings.Contains(r.SeverityFrom, "PYSEC-2018-118") {
		t.Fatalf("with the PyPI feed: severity %s score %v from %q", r.Severity, r.Score, r.SeverityFrom)
	}
	// The same feed imported again keeps one entry per source, not two.
	importInto(t, both, pypi)
	if r2 := find(both); r2.Severity != r.Severity || r2.SeverityFrom != r.SeverityFrom {
		t.Errorf("after re-importing PyPI: %s from %q, was %s from %q", r2.Severity, r2.SeverityFrom, r.Severity, r.SeverityFrom)
	}
}

package vuln

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

func TestFindingsCarryAdvisoryAndSource(t *testing.T) {
	res := []Result{
		{Package: sbom.Package{Name: "libssl3", Version: "3.0.9-1", Ecosystem: sbom.EcoDebian, Layer: 2, Location: "/var/lib/dpkg/status"},
			ID: "CVE-2023-0001", Aliases: []string{"DSA-1-1"}, Summary: "openssl: a bug", Queried: "openssl",
			Score: 7.5, Severity: rule.High, FixState: FixStateFixed, FixedVersion: "3.0.11-1",
			References: []string{"not a url", "https://security-tracker.debian.org/tracker/CVE-2023-0001"}},
		{Package: sbom.Package{Name: "golang.org/x/net", Version: "v0.1.0", Ecosystem: sbom.EcoGo, Layer: -1},
			ID: "GO-2023-0002", FixState: FixStateNotFixed},
		{Package: sbom.Package{Name: "busybox", Version: "1.0", Ecosystem: sbom.EcoAlpine},
			ID: "CVE-2023-0003", FixState: FixStateNotAffected},
	}
	fs := Findings(res, "app.tar")
	a := fs[0]
	if a.Vuln == nil || a.Vuln.Package != "libssl3" || a.Vuln.SourcePackage != "openssl" {
		t.Fatalf("finding 0: %+v", a)
	}
	if m := a.Vuln; m.Summary != "openssl: a bug" || m.Score != 7.5 || m.Version != "3.0.9-1" ||
		m.HelpURI != "https://security-tracker.debian.org/tracker/CVE-2023-0001" || m.FixState != "fixed" || m.FixedVersion != "3.0.11-1" {
		t.Errorf("advisory: %+v", m)
	}
	if fs[1].Vuln.SourcePackage != "" || fs[1].Vuln.HelpURI != "https://osv.dev/vulnerability/GO-2023-0002" {
		t.Errorf("finding 1: %+v %+v", fs[1], fs[1].Vuln)
	}
	if fs[2].Suppression == nil || fs[2].Suppression.Kind != "vex" {
		t.Errorf("not-affected finding: %+v", fs[2].Suppression)
	}

	kept := DropUnfixed(res)
	if len(kept) != 2 || kept[0].ID != "CVE-2023-0001" || kept[1].ID != "CVE-2023-0003" {
		t.Errorf("DropUnfixed kept %v", kept)
	}

	sf := SBOMFindings(res[:1], "app.cdx.json")
	if sf[0].Image != nil || sf[0].File != "app.cdx.json" {
		t.Errorf("SBOM finding located at %q %+v", sf[0].File, sf[0].Image)
	}
}

package sbom_test

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// TestPURLDistroQualifier checks the distro qualifier: the release
// number, else (Debian testing) the codename, else the ID alone.
func TestPURLDistroQualifier(t *testing.T) {
	p := sbom.Package{Name: "bash", Version: "5.2.15-2+b2", Arch: "amd64", Cataloger: "dpkg", Ecosystem: sbom.EcoDebian}
	for _, c := range []struct {
		d    *sbom.Distro
		want string
	}{
		{&sbom.Distro{ID: "debian", VersionID: "12", Codename: "bookworm"}, "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"},
		{&sbom.Distro{ID: "debian", Codename: "trixie"}, "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-trixie"},
		{&sbom.Distro{ID: "debian"}, "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian"},
	} {
		if got := sbom.PURL(p, c.d); got != c.want {
			t.Errorf("PURL(%+v) = %s, want %s", c.d, got, c.want)
		}
	}
}

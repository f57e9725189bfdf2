package encode_test

import (
	"bytes"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// FuzzDecode: a hostile SBOM document is an error, never a crash
// (go test -fuzz FuzzDecode ./internal/sbom/encode).
func FuzzDecode(f *testing.F) {
	s := &sbom.SBOM{Subject: "x", Distro: &sbom.Distro{ID: "debian", VersionID: "12"}, Packages: []sbom.Package{
		{Name: "libssl3", Version: "3.0.11-1~deb12u2", Ecosystem: sbom.EcoDebian, Cataloger: "dpkg", SourceName: "openssl", SourceVersion: "3.0.11-1~deb12u2", Layer: 0},
		{Name: "golang.org/x/net", Version: "v0.1.0", Ecosystem: sbom.EcoGo, Cataloger: "go-binary", Layer: -1},
	}}
	for i := range s.Packages {
		s.Packages[i].PURL = sbom.PURL(s.Packages[i], s.Distro)
	}
	for _, format := range encode.Formats {
		var buf bytes.Buffer
		if err := encode.Write(&buf, format, s, encode.Options{}); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		encode.Decode(bytes.NewReader(data))
	})
}

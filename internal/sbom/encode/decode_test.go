package encode_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// key is what a vulnerability matcher needs from a package, and what
// must survive a round trip through every format.
func key(p sbom.Package) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%d|%s", p.Ecosystem, p.Name, p.Version, p.PURL, p.SourceName, p.SourceVersion, p.Location, p.Layer, p.LayerDigest)
}

func TestDecodeRoundTrip(t *testing.T) {
	for name, s := range subjects(t) {
		for _, format := range encode.Formats {
			t.Run(name+"/"+format, func(t *testing.T) {
				got, err := encode.Decode(bytes.NewReader(encodeTo(t, format, s)))
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Packages) != len(s.Packages) {
					t.Fatalf("%d packages, want %d", len(got.Packages), len(s.Packages))
				}
				for i := range s.Packages {
					if a, b := key(got.Packages[i]), key(s.Packages[i]); a != b {
						t.Errorf("package %d:\n got %s\nwant %s", i, a, b)
					}
				}
				if (s.Distro == nil) != (got.Distro == nil) || s.Distro != nil && (got.Distro.ID != s.Distro.ID || got.Distro.VersionID != s.Distro.VersionID) {
					t.Errorf("distro %+v, want %+v", got.Distro, s.Distro)
				}
				if strings.Join(got.Notes, "\n") != strings.Join(s.Notes, "\n") {
					t.Errorf("notes %q, want %q", got.Notes, s.Notes)
				}
			})
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, doc := range []string{"", "hello", `{"a":1}`, `[1,2]`} {
		if _, err := encode.Decode(strings.NewReader(doc)); err == nil {
			t.Errorf("%q: no error", doc)
		}
	}
}

// TestDecodeTrivy reads a CycloneDX document written by Trivy: nested
// components, its source-package properties and its operating-system
// component; purl types shipshape does not catalogue (composer) are left
// out.
func TestDecodeTrivy(t *testing.T) {
	f, err := os.Open("testdata/trivy-bom.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := encode.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Packages {
		got = append(got, fmt.Sprintf("%s %s %s src=%s/%s", p.Ecosystem, p.Name, p.Version, p.SourceName, p.SourceVersion))
	}
	want := []string{
		"Alpine musl 1.2.3-r0 src=musl/1.2.3-r0",
		"Go github.com/package-url/packageurl-go v0.1.1-0.20220203205134-d70459300c8a src=/",
		"Maven com.example:example 0.0.1 src=/",
		"Maven org.codehaus.mojo:child-project 1.0 src=/",
		"npm @example/bootstrap 5.0.2 src=/",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Distro == nil || s.Distro.ID != "alpine" || s.Distro.VersionID != "3.16.0" {
		t.Errorf("distro %+v", s.Distro)
	}
}

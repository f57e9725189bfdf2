package sbom_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImageLayers builds a three-layer image: Alpine's real package
// database in the base, a Go binary and an npm package added by the
// second layer, and a binary the third layer deletes. Packages carry the
// layer that added them, the deleted binary's packages are gone, and a
// second scan served from the layer cache gives the same SBOM.
func TestImageLayers(t *testing.T) {
	alpine := filepath.Join(corpus.Shared(t), "data", "alpine", "alpine-310-metadata")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := read(t, exe)
	img := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{
		{Entries: []imagetest.Entry{
			imagetest.File("etc/os-release", read(t, filepath.Join(alpine, "etc/os-release"))),
			imagetest.File("lib/apk/db/installed", read(t, filepath.Join(alpine, "lib/apk/db/installed"))),
		}},
		{Entries: []imagetest.Entry{
			imagetest.File("usr/local/bin/app", bin).WithMode(0o755), imagetest.File("usr/local/bin/gone", bin).WithMode(0o755),
			imagetest.File("app/node_modules/jquery/package.json", read(t, "testdata/project/node_modules/jquery/package.json")),
		}},
		{Entries: []imagetest.Entry{imagetest.Whiteout("usr/local/bin/gone")}},
	}})
	cache := t.TempDir()
	scan := func() *sbom.SBOM {
		got, err := imageread.Scan(context.Background(), imageread.FromV1("mem", "test", img), sbom.ScanOptions(imageread.ScanOptions{CacheDir: cache}))
		if err != nil {
			t.Fatal(err)
		}
		return sbom.FromImage(got)
	}
	s := scan()
	layers, _ := img.Layers()
	digest := func(i int) string { d, _ := layers[i].Digest(); return d.String() }
	var apk, gopkgs, npm int
	for _, p := range s.Packages {
		switch p.Cataloger {
		case "apk":
			apk++
			if p.Layer != 0 || p.LayerDigest != digest(0) {
				t.Errorf("%s: layer %d %s", p.Name, p.Layer, p.LayerDigest)
			}
		case "go-binary":
			gopkgs++
			if p.Location != "/usr/local/bin/app" || p.Layer != 1 || p.LayerDigest != digest(1) {
				t.Errorf("%s at %s: layer %d", p.Name, p.Location, p.Layer)
			}
		case "npm":
			npm++
			if p.Name != "jquery" || p.Layer != 1 {
				t.Errorf("npm %+v", p)
			}
		default:
			t.Errorf("unexpected %+v", p)
		}
	}
	if apk != 14 || gopkgs == 0 || npm != 1 {
		t.Errorf("apk %d, go %d, npm %d", apk, gopkgs, npm)
	}
	again := scan()
	if len(again.Packages) != len(s.Packages) {
		t.Errorf("cached scan: %d packages, first scan %d", len(again.Packages), len(s.Packages))
	}
}

// TestBookwormImage writes the real debootstrap root filesystem as a
// one-layer docker-archive and catalogues it through the image path: the
// same 88 packages as the dpkg oracle, each attributed to layer 0 with
// its digest.
func TestBookwormImage(t *testing.T) {
	root := corpus.BookwormRootfs(t)
	dir, err := imageread.Open(context.Background(), "dir:"+root, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ls, _ := dir.Layers()
	archive := imagetest.DockerArchive(t, imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{{Open: ls[0].Open}}}), "")
	scanned := scanForSBOM(t, "docker-archive:"+archive)
	s := sbom.FromImage(scanned)
	compareRows(t, rowsOf(s, "dpkg"), dpkgOracle(t, filepath.Join(root, "var", "lib", "dpkg", "status")))
	// The archive's own digest: the directory's tar stream carries access
	// times, so digesting it again would not give the same value.
	ld := scanned.Layers[0].Digest
	if !strings.HasPrefix(ld, "sha256:") {
		t.Fatalf("layer digest %q", ld)
	}
	for _, p := range s.Packages {
		if p.Layer != 0 || p.LayerDigest != ld {
			t.Errorf("%s: layer %d %s, want 0 %s", p.Name, p.Layer, p.LayerDigest, ld)
		}
	}
}

package fleettest

import (
	"context"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// CatalogDir returns the SBOM of a root filesystem directory, catalogued
// as `shipshape sbom dir:DIR` does (no cache): the fleet tests' images are
// real package databases, not hand-written SBOMs.
func CatalogDir(t testing.TB, dir string) *sbom.SBOM {
	t.Helper()
	ctx := context.Background()
	src, err := imageread.Open(ctx, "dir:"+dir, imageread.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	img, err := imageread.Scan(ctx, src, sbom.ScanOptions(imageread.ScanOptions{NoCache: true}))
	if err != nil {
		t.Fatal(err)
	}
	return sbom.FromImage(img)
}

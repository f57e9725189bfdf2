package imageread

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// manyFilesImage is an image whose first layer holds n small files
// (imagetest.ManyFilesLayer) and whose second adds an os-release and
// deletes one of them: the input on which per-file metadata, not content,
// decides the memory of a pass.
func manyFilesImage(n int) imagetest.Image {
	return imagetest.Image{Layers: []imagetest.Layer{
		imagetest.ManyFilesLayer(n, 1),
		{CreatedBy: "RUN cleanup", Entries: []imagetest.Entry{
			imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
			imagetest.Whiteout("usr/lib/node_modules/pkg-00000/lib/file-0000000.js"),
		}},
	}}
}

// writeManyFilesArchive writes manyFilesImage(n) as a docker-archive in
// dir; the layer is generated as it is compressed, so this takes no memory
// in proportion to n.
func writeManyFilesArchive(t testing.TB, dir string, n int) string {
	t.Helper()
	img := imagetest.Build(t, manyFilesImage(n))
	p := filepath.Join(dir, "manyfiles.tar")
	if err := imagetest.WriteDockerArchive(p, img, ""); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWriteManyFilesArchive writes the many-files image to
// $SHIPSHAPE_WRITE_MANYFILES_ARCHIVE, with $SHIPSHAPE_MANYFILES_N files
// (default 200,000): scripts/bench.sh's input for the memory rows.
func TestWriteManyFilesArchive(t *testing.T) {
	p := os.Getenv("SHIPSHAPE_WRITE_MANYFILES_ARCHIVE")
	if p == "" {
		t.Skip("SHIPSHAPE_WRITE_MANYFILES_ARCHIVE not set")
	}
	n := 200_000
	if s := os.Getenv("SHIPSHAPE_MANYFILES_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			t.Fatalf("SHIPSHAPE_MANYFILES_N=%q: want a positive number", s)
		}
		n = v
	}
	img := imagetest.Build(t, manyFilesImage(n))
	if err := imagetest.WriteDockerArchive(p, img, ""); err != nil {
		t.Fatal(err)
	}
}

package imagetest

import (
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The functions below are the test forms of the writers: they fail t on
// error and put what they write in a new t.TempDir().

// Build returns the image im describes.
func Build(t testing.TB, im Image) v1.Image {
	t.Helper()
	img, err := im.Build()
	if err != nil {
		t.Fatalf("imagetest: build: %v", err)
	}
	return img
}

// DockerArchive writes img as a docker-archive tarball (tagged tag, when
// not empty) and returns its path.
func DockerArchive(t testing.TB, img v1.Image, tag string) string {
	t.Helper()
	return inTemp(t, "image.tar", func(p string) error { return WriteDockerArchive(p, img, tag) })
}

// OCILayout writes img as an OCI layout and returns its directory.
func OCILayout(t testing.TB, img v1.Image) string {
	t.Helper()
	return inTemp(t, "oci", func(p string) error { return WriteOCILayout(p, img) })
}

// RootFS writes the final view of img as a root filesystem and returns its
// directory.
func RootFS(t testing.TB, img v1.Image) string {
	t.Helper()
	return inTemp(t, "rootfs", func(p string) error { return WriteRootFS(p, img) })
}

// inTemp runs write on a path named name in a new temporary directory and
// returns the path.
func inTemp(t testing.TB, name string, write func(string) error) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := write(p); err != nil {
		t.Fatalf("imagetest: %s: %v", name, err)
	}
	return p
}

// Tar returns the uncompressed tar stream of entries.
func Tar(t testing.TB, entries ...Entry) []byte {
	t.Helper()
	b, err := TarOf(entries...)
	if err != nil {
		t.Fatalf("imagetest: tar: %v", err)
	}
	return b
}

// Tree writes files (slash-separated relative path → content, mode 0o644)
// into a new temporary directory and returns it.
func Tree(t testing.TB, files map[string]string) string {
	t.Helper()
	return TreeAt(t, t.TempDir(), files)
}

// TreeAt writes files into dir (adding to or replacing what is there) and
// returns dir.
func TreeAt(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	if err := WriteTree(dir, files); err != nil {
		t.Fatalf("imagetest: tree: %v", err)
	}
	return dir
}

// TreeOf writes entries (files with modes, directories, links) into a new
// temporary directory and returns it.
func TreeOf(t testing.TB, entries ...Entry) string {
	t.Helper()
	dir := t.TempDir()
	if err := WriteEntries(dir, entries...); err != nil {
		t.Fatalf("imagetest: tree: %v", err)
	}
	return dir
}

// FileAt writes one file (mode 0o644) at path, creating its parent
// directories, and returns path.
func FileAt(t testing.TB, path, body string) string {
	t.Helper()
	TreeAt(t, filepath.Dir(path), map[string]string{filepath.Base(path): body})
	return path
}

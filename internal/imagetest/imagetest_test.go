package imagetest_test

import (
	"archive/tar"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// sample uses every kind of entry and every configuration field.
func sample() imagetest.Image {
	return imagetest.Image{
		Config: imagetest.Config{
			User: "10001", Env: []string{"A=1"}, Labels: map[string]string{"l": "v"},
			ExposedPorts: []string{"22/tcp", "8080/tcp"}, Entrypoint: []string{"/app"}, Cmd: []string{"serve"},
			WorkingDir: "/srv", Healthcheck: []string{"CMD", "/app", "health"},
		},
		Layers: []imagetest.Layer{
			{CreatedBy: "ENV A=1", EmptyLayer: true},
			{CreatedBy: "ADD rootfs.tar /", Uncompressed: true, Entries: []imagetest.Entry{
				imagetest.Dir("usr/bin"),
				imagetest.File("usr/bin/passwd", "ELF").WithMode(0o4755).WithOwner(0, 5),
				imagetest.Symlink("bin", "usr/bin"),
				imagetest.Hardlink("usr/bin/chfn", "usr/bin/passwd"),
				imagetest.File("app/id_rsa", "key"),
				imagetest.File("opt/dir/a", "a"),
				imagetest.Dir("tmp").WithMode(0o1777),
			}},
			{CreatedBy: "RUN rm /app/id_rsa # buildkit", Entries: []imagetest.Entry{
				imagetest.Whiteout("app/id_rsa"),
				imagetest.Opaque("opt/dir"),
				imagetest.File("opt/dir/c", "c"),
			}},
		},
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	a, b := imagetest.Build(t, sample()), imagetest.Build(t, sample())
	da, _ := a.Digest()
	db, _ := b.Digest()
	if da != db {
		t.Fatalf("two builds differ: %s, %s", da, db)
	}
	one, _ := os.ReadFile(imagetest.DockerArchive(t, a, "test/app:1"))
	two, _ := os.ReadFile(imagetest.DockerArchive(t, b, "test/app:1"))
	if !bytes.Equal(one, two) {
		t.Fatal("two docker-archives of one description differ")
	}
}

func TestBuildConfigAndHistory(t *testing.T) {
	img := imagetest.Build(t, sample())
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if c.User != "10001" || c.Env[0] != "A=1" || c.Labels["l"] != "v" || len(c.ExposedPorts) != 2 || c.Entrypoint[0] != "/app" ||
		c.Cmd[0] != "serve" || c.WorkingDir != "/srv" || c.Healthcheck == nil || c.Healthcheck.Test[2] != "health" {
		t.Errorf("config = %+v", c)
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" || !cf.Created.Equal(imagetest.Epoch) {
		t.Errorf("platform %s/%s created %v", cf.OS, cf.Architecture, cf.Created)
	}
	if len(cf.History) != 3 || !cf.History[0].EmptyLayer || cf.History[2].CreatedBy != "RUN rm /app/id_rsa # buildkit" || len(cf.RootFS.DiffIDs) != 2 {
		t.Errorf("history %+v, %d layers", cf.History, len(cf.RootFS.DiffIDs))
	}
	ls, _ := img.Layers()
	if mt, _ := ls[0].MediaType(); mt != "application/vnd.oci.image.layer.v1.tar" {
		t.Errorf("uncompressed layer media type %s", mt)
	}
	rc, _ := ls[0].Uncompressed()
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if h.Name == "usr/bin/passwd" && (h.Mode != 0o4755 || h.Gid != 5 || !h.ModTime.Equal(imagetest.Epoch)) {
			t.Errorf("passwd header %+v", h)
		}
	}
}

func TestWriters(t *testing.T) {
	img := imagetest.Build(t, sample())
	if _, err := tarball.ImageFromPath(imagetest.DockerArchive(t, img, ""), nil); err != nil {
		t.Errorf("docker-archive: %v", err)
	}
	p, err := layout.FromPath(imagetest.OCILayout(t, img))
	if err != nil {
		t.Fatal(err)
	}
	if idx, err := p.ImageIndex(); err != nil {
		t.Errorf("OCI layout: %v", err)
	} else if m, _ := idx.IndexManifest(); len(m.Manifests) != 1 {
		t.Errorf("OCI layout holds %d manifests", len(m.Manifests))
	}
	root := imagetest.RootFS(t, img)
	if fi, err := os.Stat(filepath.Join(root, "usr/bin/passwd")); err != nil || fi.Mode()&fs.ModeSetuid == 0 {
		t.Errorf("passwd: %v %v", fi, err)
	}
	if l, err := os.Readlink(filepath.Join(root, "bin")); err != nil || l != "usr/bin" {
		t.Errorf("bin -> %q %v", l, err)
	}
	a, _ := os.Stat(filepath.Join(root, "usr/bin/passwd"))
	b, _ := os.Stat(filepath.Join(root, "usr/bin/chfn"))
	if a == nil || b == nil || !os.SameFile(a, b) {
		t.Error("hard link not kept")
	}
	if fi, err := os.Stat(filepath.Join(root, "tmp")); err != nil || fi.Mode()&fs.ModeSticky == 0 {
		t.Errorf("tmp: %v %v", fi, err)
	}
	for p, want := range map[string]bool{"app": true, "app/id_rsa": false, "opt/dir/a": false, "opt/dir/c": true} {
		if _, err := os.Lstat(filepath.Join(root, p)); (err == nil) != want {
			t.Errorf("%s present = %v, want %v", p, err == nil, want)
		}
	}
}

func TestTrees(t *testing.T) {
	dir := imagetest.Tree(t, map[string]string{"Dockerfile": "FROM scratch\n", "src/a/b.txt": "b"})
	if b, err := os.ReadFile(filepath.Join(dir, "src", "a", "b.txt")); err != nil || string(b) != "b" {
		t.Errorf("src/a/b.txt = %q %v", b, err)
	}
	imagetest.TreeAt(t, dir, map[string]string{"Dockerfile": "FROM alpine\n"})
	if b, _ := os.ReadFile(filepath.Join(dir, "Dockerfile")); string(b) != "FROM alpine\n" {
		t.Errorf("rewritten Dockerfile = %q", b)
	}
	dir = imagetest.TreeOf(t, imagetest.File("run.sh", "#!/bin/sh\n").WithMode(0o755), imagetest.Symlink("out", "/"))
	if fi, err := os.Stat(filepath.Join(dir, "run.sh")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("run.sh: %v %v", fi, err)
	}
	// Nothing is written outside the tree: not by a path that leaves it,
	// nor through a symbolic link.
	for _, e := range []imagetest.Entry{imagetest.File("../x", "x"), imagetest.File("out/tmp/x", "x"), imagetest.File("/", "x")} {
		if err := imagetest.WriteEntries(dir, e); err == nil || !strings.Contains(err.Error(), e.Path) {
			t.Errorf("%s: %v", e.Path, err)
		}
	}
}

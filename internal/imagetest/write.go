package imagetest

import (
	"archive/tar"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// WriteDockerArchive writes img to path as `docker save` does; tag, when
// not empty, is recorded as its repository tag ("test/app:1").
func WriteDockerArchive(path string, img v1.Image, tag string) error {
	var ref name.Reference
	if tag != "" {
		t, err := name.NewTag(tag)
		if err != nil {
			return err
		}
		ref = t
	}
	return tarball.WriteToFile(path, ref, img)
}

// WriteOCILayout writes img as an OCI image layout in dir.
func WriteOCILayout(dir string, img v1.Image) error {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendImage(img)
}

// WriteRootFS writes the final view of img into dir as a root filesystem:
// its layers unpacked in order, whiteouts and opaque directories applied
// as a container runtime applies them.
func WriteRootFS(dir string, img v1.Image) error {
	ls, err := img.Layers()
	if err != nil {
		return err
	}
	u := &unpacker{dir: dir, dirs: map[string]*tar.Header{}}
	for i, l := range ls {
		rc, err := l.Uncompressed()
		if err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
		err = u.layer(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
	}
	return u.finish()
}

package harden

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// SBOMMediaType is the media type of the SBOM referrer pushed with --push.
const SBOMMediaType = "application/vnd.cyclonedx+json"

// WriteDockerArchive writes img as a `docker save` archive tagged tag, for
// `docker load`. The archive is written beside out and renamed over it, so
// that out is never half-written.
func WriteDockerArchive(out, tag string, img v1.Image) error {
	t, err := name.NewTag(tag)
	if err != nil {
		return fmt.Errorf("tag %q: %w", tag, err)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := tarball.Write(t, img, f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// WriteOCILayout writes img as an OCI image layout directory, its index
// entry named tag (org.opencontainers.image.ref.name). The layout is built
// in a temporary directory beside out and moved into place; an existing
// out must be an OCI layout (it is replaced) or an empty directory.
func WriteOCILayout(out, tag string, img v1.Image) error {
	if err := replaceable(out); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	p, err := layout.Write(tmp, empty.Index)
	if err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	anns := map[string]string{"org.opencontainers.image.ref.name": tag}
	if err := p.AppendImage(img, layout.WithAnnotations(anns)); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// replaceable accepts a path that does not exist, an empty directory or
// an OCI layout, so that -o never deletes what harden did not write.
func replaceable(out string) error {
	fi, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory (an OCI layout is a directory)", out)
	}
	if _, err := os.Stat(filepath.Join(out, "oci-layout")); err == nil {
		return nil
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s exists and is neither empty nor an OCI layout; choose another directory", out)
	}
	return nil
}

// PushOptions say how to reach the registry.
type PushOptions struct {
	Insecure  bool
	Keychain  authn.Keychain
	Transport http.RoundTripper
}

// Push uploads img to ref and then the SBOM as an OCI referrer of it (an
// artifact manifest whose subject is the image, found through the
// registry's referrers API or its tag fallback). It returns the image's
// digest reference.
func Push(ctx context.Context, ref string, img v1.Image, sbomDoc []byte, o PushOptions) (string, error) {
	var nopts []name.Option
	if o.Insecure {
		nopts = append(nopts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nopts...)
	if err != nil {
		return "", fmt.Errorf("--push %q: %w", ref, err)
	}
	kc := o.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc)}
	if o.Transport != nil {
		ropts = append(ropts, remote.WithTransport(o.Transport))
	}
	if err := remote.Write(r, img, ropts...); err != nil {
		return "", fmt.Errorf("push %s: %w", r, err)
	}
	d, err := img.Digest()
	if err != nil {
		return "", err
	}
	dref := r.Context().Digest(d.String())
	if sbomDoc == nil {
		return dref.String(), nil
	}
	desc, err := partial.Descriptor(img)
	if err != nil {
		return "", err
	}
	art, err := sbomArtifact(sbomDoc, *desc)
	if err != nil {
		return "", fmt.Errorf("sbom referrer: %w", err)
	}
	ad, err := art.Digest()
	if err != nil {
		return "", err
	}
	if err := remote.Write(r.Context().Digest(ad.String()), art, ropts...); err != nil {
		return "", fmt.Errorf("push the sbom referrer of %s: %w", dref, err)
	}
	return dref.String(), nil
}

// sbomArtifact is the SBOM as an OCI artifact: one layer holding the
// document, its media type as the config's (which the referrers API
// reports as the artifact type), and the image as its subject.
func sbomArtifact(doc []byte, subject v1.Descriptor) (v1.Image, error) {
	art := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	art = mutate.ConfigMediaType(art, SBOMMediaType)
	art, err := mutate.AppendLayers(art, static.NewLayer(doc, SBOMMediaType))
	if err != nil {
		return nil, err
	}
	withSubject, ok := mutate.Subject(art, subject).(v1.Image)
	if !ok {
		return nil, errors.New("go-containerregistry returned no image for the subject")
	}
	return withSubject, nil
}

package imageread

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/shipshape-sec/shipshape/internal/remoteopt"
)

func openRegistry(ctx context.Context, ref, r string, opts OpenOptions) (Source, error) {
	nref, err := name.ParseReference(r, remoteopt.Name(opts.Insecure)...)
	if err != nil {
		return nil, fmt.Errorf("%s: not a path, and not an image reference: %w", ref, err)
	}
	ropts := append(remoteopt.Remote(opts.Keychain, opts.Transport, opts.Insecure), remote.WithContext(ctx))
	desc, err := remote.Get(nref, ropts...)
	if err != nil {
		return nil, registryErr(ref, err)
	}
	var img v1.Image
	digest := desc.Digest
	if desc.MediaType.IsIndex() {
		im, err := v1.ParseIndexManifest(bytesReader(desc.Manifest))
		if err != nil {
			return nil, fmt.Errorf("%s: index: %w", ref, err)
		}
		load := func(h v1.Hash) (*v1.IndexManifest, error) {
			idx, err := remote.Index(nref.Context().Digest(h.String()), ropts...)
			if err != nil {
				return nil, err
			}
			return idx.IndexManifest()
		}
		d, err := pickManifest(im, opts.Platform, load, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		digest = d.Digest
		img, err = remote.Image(nref.Context().Digest(d.Digest.String()), ropts...)
		if err != nil {
			return nil, registryErr(ref, err)
		}
	} else {
		img, err = desc.Image()
		if err != nil {
			return nil, registryErr(ref, err)
		}
	}
	s := newV1Source(ref, "registry", img, nil)
	s.digest = digest.String()
	return s, nil
}

// registryErr says in words what the registry answered.
func registryErr(ref string, err error) error {
	var terr *transport.Error
	if errors.As(err, &terr) {
		switch terr.StatusCode {
		case http.StatusNotFound:
			return fmt.Errorf("%s: not found in the registry: %w", ref, err)
		case http.StatusUnauthorized, http.StatusForbidden:
			return fmt.Errorf("%s: the registry refused the credentials (docker login, or ~/.docker/config.json): %w", ref, err)
		}
	}
	return fmt.Errorf("%s: registry: %w", ref, err)
}

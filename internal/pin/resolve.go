package pin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/shipshape-sec/shipshape/internal/remoteopt"
)

// Resolver asks registries for the digest a tag names. It remembers each
// answer for its lifetime, so that a reference used by many files is
// resolved once. The zero value uses the default keychain and transport.
type Resolver struct {
	// Insecure allows plain-HTTP registries and TLS certificates that do
	// not verify (name.Insecure); loopback registries speak HTTP anyway.
	Insecure bool
	// Keychain supplies credentials; nil means authn.DefaultKeychain
	// (~/.docker/config.json and credential helpers).
	Keychain authn.Keychain
	// Transport, when set, carries every request (tests, proxies).
	Transport http.RoundTripper

	mu    sync.Mutex
	cache map[string]string
}

// Digest returns the digest the tag reference ref names now: the
// manifest's, or for a multi-platform image the index's, so that the
// pinned reference keeps serving every platform. ref must carry no digest.
func (r *Resolver) Digest(ctx context.Context, ref string) (string, error) {
	r.mu.Lock()
	d, ok := r.cache[ref]
	r.mu.Unlock()
	if ok {
		return d, nil
	}
	tag, err := name.NewTag(ref, remoteopt.Name(r.Insecure)...)
	if err != nil {
		return "", fmt.Errorf("%s: not a tag reference: %w", ref, err)
	}
	ropts := append(remoteopt.Remote(r.Keychain, r.Transport, r.Insecure), remote.WithContext(ctx))
	// HEAD answers with the digest alone; some registries do not support
	// it for manifests, and GET gives the same descriptor.
	desc, err := remote.Head(tag, ropts...)
	if err != nil && ctx.Err() == nil {
		gd, gerr := remote.Get(tag, ropts...)
		if gerr != nil {
			return "", registryErr(ref, gerr)
		}
		desc, err = &gd.Descriptor, nil
	}
	if err != nil {
		return "", registryErr(ref, err)
	}
	d = desc.Digest.String()
	r.mu.Lock()
	if r.cache == nil {
		r.cache = map[string]string{}
	}
	r.cache[ref] = d
	r.mu.Unlock()
	return d, nil
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

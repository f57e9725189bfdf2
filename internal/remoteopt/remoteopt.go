// Package remoteopt holds the registry options every command that talks to
// a registry shares (image, sbom, fix --pin, verify, --check-updates), so
// that credentials and --insecure mean the same thing everywhere.
package remoteopt

import (
	"crypto/tls"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Name returns the reference parsing options: with insecure, plain HTTP
// is allowed for any registry (go-containerregistry allows it for
// loopback addresses anyway).
func Name(insecure bool) []name.Option {
	if insecure {
		return []name.Option{name.Insecure}
	}
	return nil
}

// Remote returns the request options: credentials from kc (the Docker
// config and its helpers when nil), and rt as the transport when given;
// otherwise, with insecure, a transport that skips TLS verification.
func Remote(kc authn.Keychain, rt http.RoundTripper, insecure bool) []remote.Option {
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	opts := []remote.Option{remote.WithAuthFromKeychain(kc)}
	switch {
	case rt != nil:
		opts = append(opts, remote.WithTransport(rt))
	case insecure:
		t := remote.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // --insecure asks for it.
		opts = append(opts, remote.WithTransport(t))
	}
	return opts
}

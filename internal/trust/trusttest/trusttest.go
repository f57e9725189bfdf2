// Package trusttest signs images in tests the way cosign does, with
// sigstore's signature library, and pushes the signatures to a registry
// (go-containerregistry's pkg/registry on loopback) in cosign's layout: a
// simple-signing payload layer annotated with its base64 signature, under
// the sha256-<hex>.sig tag or as an OCI 1.1 referrer.
package trusttest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/shipshape-sec/shipshape/internal/trust"
)

// Registry starts a loopback registry (with the referrers API) and returns
// its host:port.
func Registry(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0)), registry.WithReferrersSupport(true)))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// Key is a generated ECDSA P-256 signing key.
type Key struct {
	Signer signature.SignerVerifier
	// PubPath is the PEM public key written to a temp file (cosign.pub).
	PubPath string
}

// NewKey generates a key and writes its public half as PEM.
func NewKey(t testing.TB) Key {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := signature.LoadECDSASignerVerifier(priv, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	pem, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "cosign.pub")
	if err := os.WriteFile(p, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	return Key{Signer: sv, PubPath: p}
}

// PushImage pushes a small random image to ref and returns its digest.
func PushImage(t testing.TB, ref string) string {
	t.Helper()
	img, err := random.Image(256, 1)
	if err != nil {
		t.Fatal(err)
	}
	return Push(t, ref, img)
}

// Push writes img to ref and returns its digest.
func Push(t testing.TB, ref string, img v1.Image) string {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img); err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// Signature builds a cosign signature manifest for digest in repo, signed
// by k over payload (trust.NewPayload when payload is nil).
func Signature(t testing.TB, k Key, repo, digest string, payload []byte) v1.Image {
	t.Helper()
	if payload == nil {
		var err error
		if payload, err = trust.NewPayload(repo, digest); err != nil {
			t.Fatal(err)
		}
	}
	sig, err := k.Signer.SignMessage(bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	return SignatureWith(t, payload, base64.StdEncoding.EncodeToString(sig))
}

// SignatureWith builds a signature manifest from a payload and a base64
// signature as given (for tampered cases).
func SignatureWith(t testing.TB, payload []byte, b64sig string) v1.Image {
	t.Helper()
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	img, err := mutate.Append(base, mutate.Addendum{
		Layer:       static.NewLayer(payload, trust.PayloadMediaType),
		Annotations: map[string]string{trust.SignatureAnnotation: b64sig},
	})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// PushTagSignature pushes sig under cosign's tag for digest in repo.
func PushTagSignature(t testing.TB, repo, digest string, sig v1.Image) {
	t.Helper()
	Push(t, repo+":"+trust.SignatureTag(digest), sig)
}

// PushReferrerSignature pushes sig as an OCI 1.1 referrer of digest.
func PushReferrerSignature(t testing.TB, repo, digest string, sig v1.Image) {
	t.Helper()
	h, err := v1.NewHash(digest)
	if err != nil {
		t.Fatal(err)
	}
	img := mutate.ConfigMediaType(sig, types.MediaType(trust.SignatureArtifactType))
	img = mutate.Subject(img, v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: h}).(v1.Image)
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	Push(t, repo+"@"+d.String(), img)
}

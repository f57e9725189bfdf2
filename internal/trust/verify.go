package trust

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/shipshape-sec/shipshape/internal/remoteopt"
)

// maxPayload bounds a payload layer read: real ones are a few hundred
// bytes, and a hostile registry must not make us read gigabytes.
const maxPayload = 1 << 20

// maxSignatures bounds the signature layers examined per image.
const maxSignatures = 64

// maxReferrers bounds the signature and bundle referrers fetched per
// image: a registry could list thousands, each a round trip.
const maxReferrers = 256

// Options say how to reach the registry and what to read there.
type Options struct {
	// Remote are go-containerregistry options (auth, transport, context).
	Remote []remote.Option
	// Name are reference parsing options (name.Insecure for plain HTTP).
	Name []name.Option
	// Attestations asks Verify to read and verify the image's
	// attestations too (the .att tag and attestation bundles among the
	// referrers). They are reported apart and never count as signatures.
	Attestations bool
}

// Policy is who may sign: public keys, keyless identities under a trusted
// root, or both; a signature counts when either accepts it.
type Policy struct {
	Keys    []Key
	Keyless *Keyless
}

// Empty reports a policy nothing could ever verify under.
func (p Policy) Empty() bool { return len(p.Keys) == 0 && p.Keyless == nil }

// Signature is one signature found for an image, and what became of it.
type Signature struct {
	// Where is "tag <tag>" or "referrer <digest>".
	Where string
	// Key names the trusted key it verified under; empty when none did.
	Key string
	// Identity is the keyless signer (certificate subject and OIDC
	// issuer) as the certificate names it, whether trusted or not.
	Identity string
	// Problem says why it does not count; empty when it does.
	Problem string
}

// Result is the outcome of verifying one image.
type Result struct {
	Ref    string
	Digest string
	// Signatures lists every signature found, in tag then referrer order.
	Signatures []Signature
	// Attestations lists the attestations found when Options.Attestations
	// asked for them.
	Attestations []Attestation
}

// Verified reports whether at least one signature verified under a trusted
// key and named the image's digest.
func (r *Result) Verified() bool {
	for _, s := range r.Signatures {
		if s.Problem == "" {
			return true
		}
	}
	return false
}

// Problem summarises why the image does not verify ("" when it does).
func (r *Result) Problem() string {
	switch {
	case r.Verified():
		return ""
	case len(r.Signatures) == 0:
		return "no cosign signature found (neither the " + SignatureTag(r.Digest) + " tag nor an OCI referrer)"
	}
	var ps []string
	for _, s := range r.Signatures {
		ps = append(ps, s.Where+": "+s.Problem)
	}
	return strings.Join(ps, "; ")
}

// SignatureTag is the tag under which cosign stores the signatures of a
// manifest digest ("sha256:ab.." -> "sha256-ab...sig").
func SignatureTag(digest string) string { return strings.Replace(digest, ":", "-", 1) + ".sig" }

// Verify resolves ref to its manifest digest and checks every cosign
// signature stored for it, in the tag scheme and as OCI referrers
// (cosign's signature manifests and Sigstore bundles), against the policy.
// An error means the check could not be made (bad reference, unreachable
// registry, missing image); an unsigned or wrongly signed image is a Result
// that does not verify.
func Verify(ctx context.Context, ref string, p Policy, o Options) (*Result, error) {
	if p.Empty() {
		return nil, errors.New("no public key or keyless identity to verify against")
	}
	nref, err := name.ParseReference(ref, o.Name...)
	if err != nil {
		return nil, fmt.Errorf("%s: not an image reference: %w", ref, err)
	}
	ropts := append([]remote.Option{remote.WithContext(ctx)}, o.Remote...)
	desc, err := remote.Head(nref, ropts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	res := &Result{Ref: ref, Digest: desc.Digest.String()}
	repo := nref.Context()
	tag := repo.Tag(SignatureTag(res.Digest))
	if img, err := remote.Image(tag, ropts...); err == nil {
		res.Signatures = append(res.Signatures, checkManifest(img, "tag "+tag.TagStr(), res.Digest, p)...)
	} else if !notFound(err) {
		return nil, fmt.Errorf("%s: signature tag %s: %w", ref, tag.TagStr(), err)
	}
	if o.Attestations {
		atag := repo.Tag(AttestationTag(res.Digest))
		if img, err := remote.Image(atag, ropts...); err == nil {
			res.Attestations = append(res.Attestations, checkAttestationManifest(img, "tag "+atag.TagStr(), res.Digest, p)...)
		} else if !notFound(err) {
			return nil, fmt.Errorf("%s: attestation tag %s: %w", ref, atag.TagStr(), err)
		}
	}
	refs, err := referrers(repo.Digest(res.Digest), ropts)
	if err != nil {
		return nil, fmt.Errorf("%s: referrers: %w", ref, err)
	}
	for _, d := range refs {
		where := "referrer " + d.Digest.String()
		isBundle := strings.HasPrefix(d.ArtifactType, BundleMediaTypePrefix)
		if isBundle && !o.Attestations && d.Annotations[BundlePredicateAnnotation] != "" &&
			d.Annotations[BundlePredicateAnnotation] != SignPredicateType {
			// An attestation bundle, announced as one by its annotation:
			// not a signature, and not asked for.
			continue
		}
		img, err := remote.Image(repo.Digest(d.Digest.String()), ropts...)
		if err != nil {
			return nil, fmt.Errorf("%s: referrer %s: %w", ref, d.Digest, err)
		}
		if !isBundle {
			res.Signatures = append(res.Signatures, checkManifest(img, where, res.Digest, p)...)
			continue
		}
		sig, att := checkBundleManifest(img, where, res.Digest, p)
		if sig != nil {
			res.Signatures = append(res.Signatures, *sig)
		}
		if att != nil && o.Attestations {
			res.Attestations = append(res.Attestations, *att)
		}
	}
	return res, nil
}

// referrers lists the signature and bundle manifests whose subject is d. A registry
// without the referrers API answers with the fallback tag, which
// go-containerregistry reads; a missing fallback tag means none.
func referrers(d name.Digest, ropts []remote.Option) ([]v1.Descriptor, error) {
	idx, err := remote.Referrers(d, ropts...)
	if err != nil {
		if notFound(err) {
			return nil, nil
		}
		return nil, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	var out []v1.Descriptor
	for _, m := range im.Manifests {
		if m.ArtifactType == SignatureArtifactType || strings.HasPrefix(m.ArtifactType, BundleMediaTypePrefix) {
			out = append(out, m)
		}
		if len(out) >= maxReferrers {
			break
		}
	}
	return out, nil
}

// checkManifest checks each payload layer of one signature manifest.
func checkManifest(img v1.Image, where, digest string, p Policy) []Signature {
	m, err := img.Manifest()
	if err != nil {
		return []Signature{{Where: where, Problem: "unreadable signature manifest: " + err.Error()}}
	}
	var out []Signature
	for i, l := range m.Layers {
		if i >= maxSignatures {
			break
		}
		w := fmt.Sprintf("%s layer %d", where, i)
		if l.MediaType != PayloadMediaType {
			continue
		}
		s := Signature{Where: w}
		payload, err := readLayer(img, l, maxPayload)
		switch {
		case err != nil:
			s.Problem = err.Error()
		case l.Annotations[CertificateAnnotation] != "":
			s.Identity, s.Problem = checkLegacyKeyless(l, payload, digest, p.Keyless)
		default:
			s.Key, s.Problem = checkLayer(l, payload, digest, p.Keys)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		out = append(out, Signature{Where: where, Problem: "holds no simple-signing payload"})
	}
	return out
}

// readLayer reads one small layer (a payload, a bundle, an envelope),
// refusing one larger than max or not matching its digest.
func readLayer(img v1.Image, l v1.Descriptor, max int64) ([]byte, error) {
	layer, err := img.LayerByDigest(l.Digest)
	if err != nil {
		return nil, fmt.Errorf("payload layer: %w", err)
	}
	rc, err := layer.Compressed()
	if err != nil {
		return nil, fmt.Errorf("payload layer: %w", err)
	}
	defer rc.Close()
	payload, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, fmt.Errorf("payload layer: %w", err)
	}
	if int64(len(payload)) > max {
		return nil, fmt.Errorf("payload larger than %d bytes", max)
	}
	if h, _, err := v1.SHA256(bytes.NewReader(payload)); err != nil || h != l.Digest {
		return nil, fmt.Errorf("payload does not match its digest %s", l.Digest)
	}
	return payload, nil
}

// checkLayer verifies one payload layer: the signature must verify under a
// key, and the payload must name digest.
func checkLayer(l v1.Descriptor, payload []byte, digest string, keys []Key) (key, problem string) {
	b64 := l.Annotations[SignatureAnnotation]
	if b64 == "" {
		return "", "no " + SignatureAnnotation + " annotation"
	}
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", "signature is not base64: " + err.Error()
	}
	if len(keys) == 0 {
		return "", "signed with a key, but no public key is trusted (give --key or trust.keys)"
	}
	for _, k := range keys {
		if k.verifier.VerifySignature(bytes.NewReader(sig), bytes.NewReader(payload)) != nil {
			continue
		}
		p, err := parsePayload(payload)
		if err != nil {
			return k.Name, err.Error()
		}
		if p.Critical.Image.DockerManifestDigest != digest {
			return k.Name, fmt.Sprintf("signed by %s, but the payload names %s, not this image's %s", k.Name, p.Critical.Image.DockerManifestDigest, digest)
		}
		return k.Name, ""
	}
	return "", "signature does not verify under any trusted key"
}

// notFound reports a registry 404 (MANIFEST_UNKNOWN, NAME_UNKNOWN).
func notFound(err error) bool {
	var terr *transport.Error
	return errors.As(err, &terr) && terr.StatusCode == http.StatusNotFound
}

// RegistryOptions are the options of a registry run: credentials from the
// Docker config and its helpers, and with insecure plain HTTP and
// unverified TLS allowed.
func RegistryOptions(insecure bool) Options {
	return Options{Name: remoteopt.Name(insecure), Remote: remoteopt.Remote(nil, nil, insecure)}
}

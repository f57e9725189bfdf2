package trusttest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	sigdsse "github.com/sigstore/sigstore/pkg/signature/dsse"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/shipshape-sec/shipshape/internal/trust"
)

// Sigstore is an in-memory Sigstore (sigstore-go's VirtualSigstore: a
// Fulcio CA, a Rekor log, a timestamp authority) and its trusted root
// written as trusted_root.json, the file a verifier is given.
type Sigstore struct {
	VS       *ca.VirtualSigstore
	RootPath string
}

// NewSigstore starts a virtual Sigstore and writes its trusted root. The
// root lists no CT log: the virtual Fulcio issues no SCTs.
func NewSigstore(t testing.TB) *Sigstore {
	t.Helper()
	return newSigstore(t, true)
}

// NewTimestampedSigstore is a virtual Sigstore whose root names no Rekor
// log, only the Fulcio CA and the timestamp authority: a private
// deployment that timestamps signatures instead of logging them.
func NewTimestampedSigstore(t testing.TB) *Sigstore {
	t.Helper()
	return newSigstore(t, false)
}

// WithoutTSA writes a copy of the root without its timestamp authorities
// (and, for a timestamped Sigstore, so with nothing to vouch for time).
func (s *Sigstore) WithoutTSA(t testing.TB) string {
	t.Helper()
	tr, err := root.NewTrustedRootFromPath(s.RootPath)
	if err != nil {
		t.Fatal(err)
	}
	nr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, tr.FulcioCertificateAuthorities(), tr.CTLogs(), nil, tr.RekorLogs())
	if err != nil {
		t.Fatal(err)
	}
	b, err := nr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "trusted_root.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func newSigstore(t testing.TB, withLog bool) *Sigstore {
	t.Helper()
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	// The virtual log's ID is its hex key ID as bytes, which serialises
	// to the wrong key ID; the file must hold the raw ID, as real roots do.
	logs := map[string]*root.TransparencyLog{}
	for id, l := range vs.RekorLogs() {
		if !withLog {
			break
		}
		raw, err := hex.DecodeString(id)
		if err != nil {
			t.Fatal(err)
		}
		c := *l
		c.ID = raw
		logs[id] = &c
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, vs.FulcioCertificateAuthorities(),
		map[string]*root.TransparencyLog{}, vs.TimestampingAuthorities(), logs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "trusted_root.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return &Sigstore{VS: vs, RootPath: p}
}

// Statement is an in-toto v1 statement about digest.
func Statement(t testing.TB, digest, predicateType string, predicate any) []byte {
	t.Helper()
	alg, h, _ := strings.Cut(digest, ":")
	if predicate == nil {
		predicate = map[string]any{}
	}
	b, err := json.Marshal(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []map[string]any{{"name": "image", "digest": map[string]string{alg: h}}},
		"predicateType": predicateType,
		"predicate":     predicate,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Bundle signs statement keyless as identity/issuer (a Fulcio certificate
// from the virtual CA, a Rekor entry with an inclusion proof, a TSA
// timestamp) and returns the v0.3 bundle JSON cosign stores as a referrer.
func (s *Sigstore) Bundle(t testing.TB, identity, issuer string, statement []byte) []byte {
	t.Helper()
	e, err := s.VS.AttestAtTime(identity, issuer, statement, time.Now().Add(5*time.Minute), true)
	if err != nil {
		t.Fatal(err)
	}
	return s.bundleJSON(t, e, trust.BundleMediaType)
}

func (s *Sigstore) bundleJSON(t testing.TB, e *ca.TestEntity, mediaType string) []byte {
	t.Helper()
	vc, _ := e.VerificationContent()
	sc, _ := e.SignatureContent()
	tles, _ := e.TlogEntries()
	tsrs, _ := e.Timestamps()
	pb := &protobundle.Bundle{
		MediaType: mediaType,
		VerificationMaterial: &protobundle.VerificationMaterial{
			Content:                   &protobundle.VerificationMaterial_Certificate{Certificate: &protocommon.X509Certificate{RawBytes: vc.Certificate().Raw}},
			TimestampVerificationData: &protobundle.TimestampVerificationData{},
		},
	}
	for _, ts := range tsrs {
		pb.VerificationMaterial.TimestampVerificationData.Rfc3161Timestamps = append(
			pb.VerificationMaterial.TimestampVerificationData.Rfc3161Timestamps, &protocommon.RFC3161SignedTimestamp{SignedTimestamp: ts})
	}
	for _, le := range tles {
		pb.VerificationMaterial.TlogEntries = append(pb.VerificationMaterial.TlogEntries, s.protoEntry(t, le))
	}
	if env := sc.EnvelopeContent(); env != nil {
		raw := env.RawEnvelope()
		penv := &protodsse.Envelope{PayloadType: raw.PayloadType}
		payload, err := base64.StdEncoding.DecodeString(raw.Payload)
		if err != nil {
			t.Fatal(err)
		}
		penv.Payload = payload
		for _, sg := range raw.Signatures {
			sig, err := base64.StdEncoding.DecodeString(sg.Sig)
			if err != nil {
				t.Fatal(err)
			}
			penv.Signatures = append(penv.Signatures, &protodsse.Signature{Sig: sig, Keyid: sg.KeyID})
		}
		pb.Content = &protobundle.Bundle_DsseEnvelope{DsseEnvelope: penv}
	} else {
		ms := sc.MessageSignatureContent()
		pb.Content = &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: ms.Digest()},
			Signature:     ms.Signature(),
		}}
	}
	b, err := protojson.Marshal(pb)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// protoEntry completes a virtual Rekor entry for a bundle: its kind and
// version (from the body) and a signed entry timestamp from the log key.
func (s *Sigstore) protoEntry(t testing.TB, le *tlog.Entry) *protorekor.TransparencyLogEntry {
	t.Helper()
	tle := le.TransparencyLogEntry()
	var kv struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal(tle.CanonicalizedBody, &kv); err != nil {
		t.Fatal(err)
	}
	tle.KindVersion = &protorekor.KindVersion{Kind: kv.Kind, Version: kv.APIVersion}
	set, err := s.VS.RekorSignPayload(tlog.RekorPayload{
		Body: base64.StdEncoding.EncodeToString(tle.CanonicalizedBody), IntegratedTime: tle.IntegratedTime,
		LogIndex: tle.LogIndex, LogID: hex.EncodeToString(tle.LogId.KeyId),
	})
	if err != nil {
		t.Fatal(err)
	}
	tle.InclusionPromise = &protorekor.InclusionPromise{SignedEntryTimestamp: set}
	return tle
}

// legacyAnnotations are the annotations cosign's tag scheme gives a
// keyless layer: certificate, chain, Rekor bundle, RFC 3161 timestamp.
func (s *Sigstore) legacyAnnotations(t testing.TB, e *ca.TestEntity, b64sig string) map[string]string {
	t.Helper()
	vc, _ := e.VerificationContent()
	tles, _ := e.TlogEntries()
	tsrs, _ := e.Timestamps()
	leaf, err := cryptoutils.MarshalCertificateToPEM(vc.Certificate())
	if err != nil {
		t.Fatal(err)
	}
	var chain []byte
	for _, c := range s.VS.FulcioCertificateAuthorities() {
		fca := c.(*root.FulcioCertificateAuthority)
		for _, ic := range append(fca.Intermediates, fca.Root) {
			p, err := cryptoutils.MarshalCertificateToPEM(ic)
			if err != nil {
				t.Fatal(err)
			}
			chain = append(chain, p...)
		}
	}
	tle := s.protoEntry(t, tles[0])
	var rb trust.RekorBundle
	rb.SignedEntryTimestamp = tle.InclusionPromise.SignedEntryTimestamp
	rb.Payload.Body = base64.StdEncoding.EncodeToString(tle.CanonicalizedBody)
	rb.Payload.IntegratedTime = tle.IntegratedTime
	rb.Payload.LogIndex = tle.LogIndex
	rb.Payload.LogID = hex.EncodeToString(tle.LogId.KeyId)
	rbJSON, err := json.Marshal(rb)
	if err != nil {
		t.Fatal(err)
	}
	tsJSON, err := json.Marshal(trust.TimestampRecord{SignedRFC3161Timestamp: tsrs[0]})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		trust.SignatureAnnotation:   b64sig,
		trust.CertificateAnnotation: string(leaf),
		trust.ChainAnnotation:       string(chain),
		trust.RekorBundleAnnotation: string(rbJSON),
		trust.TimestampAnnotation:   string(tsJSON),
	}
}

// KeylessSignature signs the simple-signing payload for digest keyless
// and returns the signature manifest in cosign's legacy tag layout.
func (s *Sigstore) KeylessSignature(t testing.TB, identity, issuer, repo, digest string) v1.Image {
	t.Helper()
	payload, err := trust.NewPayload(repo, digest)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.VS.Sign(identity, issuer, payload)
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := e.SignatureContent()
	ann := s.legacyAnnotations(t, e, base64.StdEncoding.EncodeToString(sc.MessageSignatureContent().Signature()))
	return layerManifest(t, payload, trust.PayloadMediaType, ann)
}

// KeylessAttestation signs statement keyless and returns an attestation
// manifest in cosign's legacy .att layout: one DSSE envelope layer.
func (s *Sigstore) KeylessAttestation(t testing.TB, identity, issuer string, statement []byte) v1.Image {
	t.Helper()
	e, err := s.VS.Attest(identity, issuer, statement)
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := e.SignatureContent()
	env, err := json.Marshal(sc.EnvelopeContent().RawEnvelope())
	if err != nil {
		t.Fatal(err)
	}
	ann := s.legacyAnnotations(t, e, "")
	delete(ann, trust.SignatureAnnotation)
	return layerManifest(t, env, trust.DSSEMediaType, ann)
}

// KeyAttestation signs statement with k as a DSSE envelope and returns an
// attestation manifest in cosign's .att layout.
func KeyAttestation(t testing.TB, k Key, statement []byte) v1.Image {
	t.Helper()
	env, err := SignDSSE(k, statement)
	if err != nil {
		t.Fatal(err)
	}
	return layerManifest(t, env, trust.DSSEMediaType, map[string]string{trust.SignatureAnnotation: ""})
}

// SignDSSE signs statement with k as an in-toto DSSE envelope (JSON).
func SignDSSE(k Key, statement []byte) ([]byte, error) {
	pub, err := k.Signer.PublicKey()
	if err != nil {
		return nil, err
	}
	signer, err := dsse.NewEnvelopeSigner(&sigdsse.SignerAdapter{SignatureSigner: k.Signer, Pub: pub})
	if err != nil {
		return nil, err
	}
	env, err := signer.SignPayload(context.Background(), trust.InTotoPayloadType, statement)
	if err != nil {
		return nil, err
	}
	return json.Marshal(env)
}

// layerManifest is a one-layer OCI manifest holding data.
func layerManifest(t testing.TB, data []byte, mt string, ann map[string]string) v1.Image {
	t.Helper()
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	img, err := mutate.Append(base, mutate.Addendum{Layer: static.NewLayer(data, types.MediaType(mt)), Annotations: ann})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// PushBundle pushes bundle JSON as an OCI 1.1 referrer of digest, the way
// cosign v3 stores signatures and attestations: artifactType is the bundle
// media type, the predicate type is announced in an annotation.
func PushBundle(t testing.TB, repo, digest string, bundleJSON []byte, predicateType string) {
	t.Helper()
	h, err := v1.NewHash(digest)
	if err != nil {
		t.Fatal(err)
	}
	img := layerManifest(t, bundleJSON, trust.BundleMediaType, nil)
	img = mutate.ConfigMediaType(img, types.MediaType(trust.BundleMediaType))
	img = mutate.Annotations(img, map[string]string{trust.BundlePredicateAnnotation: predicateType}).(v1.Image)
	img = mutate.Subject(img, v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: h}).(v1.Image)
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	Push(t, repo+"@"+d.String(), img)
}

// KeyBundle signs statement with k and wraps it in a v0.3 bundle with a
// public-key hint, as cosign v3 writes for key-signed images.
func KeyBundle(t testing.TB, k Key, statement []byte) []byte {
	t.Helper()
	envJSON, err := SignDSSE(k, statement)
	if err != nil {
		t.Fatal(err)
	}
	var env dsse.Envelope
	if err := json.Unmarshal(envJSON, &env); err != nil {
		t.Fatal(err)
	}
	sig, _ := base64.StdEncoding.DecodeString(env.Signatures[0].Sig)
	pb := &protobundle.Bundle{
		MediaType: trust.BundleMediaType,
		VerificationMaterial: &protobundle.VerificationMaterial{
			Content: &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: "cosign.pub"}},
		},
		Content: &protobundle.Bundle_DsseEnvelope{DsseEnvelope: &protodsse.Envelope{
			PayloadType: trust.InTotoPayloadType, Payload: statement, Signatures: []*protodsse.Signature{{Sig: sig}},
		}},
	}
	b, err := protojson.Marshal(pb)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Tamper flips the statement inside a bundle (JSON) after signing, so its
// signature no longer covers it.
func Tamper(t testing.TB, bundleJSON []byte) []byte {
	t.Helper()
	var pb protobundle.Bundle
	if err := protojson.Unmarshal(bundleJSON, &pb); err != nil {
		t.Fatal(err)
	}
	env := pb.GetDsseEnvelope()
	env.Payload = bytes.Replace(env.Payload, []byte(`"predicate":{}`), []byte(`"predicate":{"evil":true}`), 1)
	b, err := protojson.Marshal(&pb)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var _ verify.SignedEntity = (*ca.TestEntity)(nil)

// AppendLayers joins the layers (with their annotations) of several
// one-manifest attestations into one manifest, as cosign appends each new
// attestation to the .att tag.
func AppendLayers(t testing.TB, imgs ...v1.Image) v1.Image {
	t.Helper()
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	out := mutate.ConfigMediaType(base, types.OCIConfigJSON)
	for _, img := range imgs {
		m, err := img.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range m.Layers {
			layer, err := img.LayerByDigest(l.Digest)
			if err != nil {
				t.Fatal(err)
			}
			if out, err = mutate.Append(out, mutate.Addendum{Layer: layer, Annotations: l.Annotations, MediaType: l.MediaType}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

package trust

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// Media types, annotations and predicate types of Sigstore bundles and of
// cosign's keyless and attestation layouts.
const (
	// BundleMediaTypePrefix starts the media type of every Sigstore bundle
	// (application/vnd.dev.sigstore.bundle.v0.3+json as cosign v3 writes
	// it, ...bundle+json;version=0.x before).
	BundleMediaTypePrefix = "application/vnd.dev.sigstore.bundle"
	// BundleMediaType is the bundle version cosign stores as a referrer.
	BundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"
	// BundlePredicateAnnotation on a bundle referrer announces the
	// predicate type of the statement inside.
	BundlePredicateAnnotation = "dev.sigstore.bundle.predicateType"
	// SignPredicateType is the predicate of a cosign v3 image signature: a
	// DSSE in-toto statement whose subject is the image digest.
	SignPredicateType = "https://sigstore.dev/cosign/sign/v1"
	// CertificateAnnotation holds the PEM Fulcio certificate of a legacy
	// keyless signature layer.
	CertificateAnnotation = "dev.sigstore.cosign/certificate"
	// ChainAnnotation holds the PEM chain above that certificate.
	ChainAnnotation = "dev.sigstore.cosign/chain"
	// RekorBundleAnnotation holds the Rekor entry and its signed entry
	// timestamp of a legacy keyless signature layer.
	RekorBundleAnnotation = "dev.cosignproject.cosign/bundle"
	// TimestampAnnotation holds an RFC 3161 timestamp of the signature.
	TimestampAnnotation = "dev.sigstore.cosign/rfc3161timestamp"
	// DSSEMediaType is the media type of an attestation layer (.att tag).
	DSSEMediaType = "application/vnd.dsse.envelope.v1+json"
	// InTotoPayloadType is the DSSE payload type of an in-toto statement.
	InTotoPayloadType = "application/vnd.in-toto+json"
)

// maxBundle bounds a bundle or envelope read: attestations can carry a
// whole SBOM, but not a gigabyte of one.
const maxBundle = 32 << 20

// RekorBundle is the legacy (pre-bundle) record cosign keeps in the
// dev.cosignproject.cosign/bundle annotation: the Rekor entry and the
// log's signature over it (the SET).
type RekorBundle struct {
	SignedEntryTimestamp []byte `json:"SignedEntryTimestamp"`
	Payload              struct {
		Body           string `json:"body"`
		IntegratedTime int64  `json:"integratedTime"`
		LogIndex       int64  `json:"logIndex"`
		LogID          string `json:"logID"`
	} `json:"Payload"`
}

// TimestampRecord is the JSON of the rfc3161timestamp annotation.
type TimestampRecord struct {
	SignedRFC3161Timestamp []byte `json:"SignedRFC3161Timestamp"`
}

// statement is the part of an in-toto statement shipshape reads.
type statement struct {
	Type          string `json:"_type"`
	PredicateType string `json:"predicateType"`
	Subject       []struct {
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
}

// names reports whether the statement's subjects include digest.
func (s *statement) names(digest string) bool {
	alg, h, _ := strings.Cut(digest, ":")
	for _, sub := range s.Subject {
		if strings.EqualFold(sub.Digest[alg], h) {
			return true
		}
	}
	return false
}

// subjects lists the subject digests for messages.
func (s *statement) subjects() string {
	var out []string
	for _, sub := range s.Subject {
		for a, h := range sub.Digest {
			out = append(out, a+":"+h)
		}
	}
	if len(out) == 0 {
		return "no subject"
	}
	return strings.Join(out, ", ")
}

// parseStatement reads the in-toto statement a DSSE envelope carries.
func parseStatement(env *protodsse.Envelope) (*statement, error) {
	if env.GetPayloadType() != InTotoPayloadType {
		return nil, fmt.Errorf("envelope payload type is %q, not an in-toto statement", env.GetPayloadType())
	}
	var st statement
	if err := json.Unmarshal(env.GetPayload(), &st); err != nil {
		return nil, fmt.Errorf("envelope payload is not an in-toto statement: %w", err)
	}
	if st.PredicateType == "" {
		return nil, errors.New("in-toto statement has no predicate type")
	}
	return &st, nil
}

// checkBundleManifest reads the Sigstore bundle of one referrer and says
// whether it is a valid signature of digest (its statement's predicate is
// cosign's signing predicate) or an attestation. Exactly one of the two
// results is set.
func checkBundleManifest(img v1.Image, where, digest string, p Policy) (*Signature, *Attestation) {
	m, err := img.Manifest()
	if err != nil {
		return &Signature{Where: where, Problem: "unreadable bundle manifest: " + err.Error()}, nil
	}
	var data []byte
	for _, l := range m.Layers {
		if strings.HasPrefix(string(l.MediaType), BundleMediaTypePrefix) {
			data, err = readLayer(img, l, maxBundle)
			if err != nil {
				return &Signature{Where: where, Problem: "bundle " + err.Error()}, nil
			}
			break
		}
	}
	if data == nil {
		return &Signature{Where: where, Problem: "bundle manifest holds no Sigstore bundle layer"}, nil
	}
	var b bundle.Bundle
	if err := b.UnmarshalJSON(data); err != nil {
		return &Signature{Where: where, Problem: "not a valid Sigstore bundle: " + err.Error()}, nil
	}
	env := b.GetDsseEnvelope()
	if env == nil {
		return &Signature{Where: where, Problem: "the bundle signs a blob digest (message signature), not an in-toto statement about this image"}, nil
	}
	st, err := parseStatement(env)
	if err != nil {
		return &Signature{Where: where, Problem: err.Error()}, nil
	}
	key, id, problem := verifyBundle(&b, nil, digest, p)
	if st.PredicateType == SignPredicateType {
		return &Signature{Where: where, Key: key, Identity: id, Problem: problem}, nil
	}
	return nil, &Attestation{Where: where, PredicateType: st.PredicateType, Key: key, Identity: id, Problem: problem}
}

// verifyBundle verifies a bundle under the policy. A certificate goes to
// the keyless trust (chain to the root, Rekor entry, identity); a public
// key to the trusted keys. artifact is the payload a message signature
// signs; for a DSSE statement the subject must name digest.
func verifyBundle(b *bundle.Bundle, artifact []byte, digest string, p Policy) (key, identity, problem string) {
	vc, err := b.VerificationContent()
	if err != nil {
		return "", "", "bundle verification material: " + err.Error()
	}
	if cert := vc.Certificate(); cert != nil {
		identity = certSigner(cert)
		if env := b.GetDsseEnvelope(); env != nil {
			// Said before verifying, so a statement about another image
			// is named as such rather than as a failed digest policy.
			if st, err := parseStatement(env); err == nil && !st.names(digest) {
				return "", identity, fmt.Sprintf("the statement (by %s, not verified) names %s, not this image's %s", identity, st.subjects(), digest)
			}
		}
		if p.Keyless == nil {
			return "", identity, "keyless signature by " + identity + ", but no trusted root and identity are given (--trusted-root, --certificate-identity, --certificate-oidc-issuer)"
		}
		_, _, problem = p.Keyless.verifyEntity(b, artifact, digest)
		return "", identity, problem
	}
	if len(p.Keys) == 0 {
		return "", "", "signed with a key, but no public key is trusted (give --key or trust.keys)"
	}
	env := b.GetDsseEnvelope()
	for _, k := range p.Keys {
		if env != nil {
			if !dsseVerifies(k, env) {
				continue
			}
			st, err := parseStatement(env)
			if err != nil {
				return k.Name, "", err.Error()
			}
			if !st.names(digest) {
				return k.Name, "", fmt.Sprintf("signed by %s, but the statement names %s, not this image's %s", k.Name, st.subjects(), digest)
			}
			return k.Name, "", ""
		}
		ms := b.GetMessageSignature()
		if ms != nil && artifact != nil && k.verifier.VerifySignature(bytes.NewReader(ms.GetSignature()), bytes.NewReader(artifact)) == nil {
			return k.Name, "", ""
		}
	}
	return "", "", "signature does not verify under any trusted key"
}

// dsseVerifies reports whether one of the envelope's signatures verifies
// under k over the DSSE pre-authentication encoding of its payload.
func dsseVerifies(k Key, env *protodsse.Envelope) bool {
	pae := dsse.PAE(env.GetPayloadType(), env.GetPayload())
	for _, s := range env.GetSignatures() {
		if k.verifier.VerifySignature(bytes.NewReader(s.GetSig()), bytes.NewReader(pae)) == nil {
			return true
		}
	}
	return false
}

// checkLegacyKeyless verifies a tag-scheme keyless signature layer: the
// certificate, Rekor bundle and timestamp annotations are rebuilt into a
// Sigstore bundle (v0.1, which carries a signed entry timestamp rather than
// an inclusion proof) and verified like any other; the simple-signing
// payload must then name digest.
func checkLegacyKeyless(l v1.Descriptor, payload []byte, digest string, kl *Keyless) (identity, problem string) {
	sig, err := base64.StdEncoding.DecodeString(l.Annotations[SignatureAnnotation])
	if err != nil || len(sig) == 0 {
		return "", "no valid " + SignatureAnnotation + " annotation"
	}
	h := sha256.Sum256(payload)
	b, identity, err := legacyBundle(l.Annotations, func(pb *protobundle.Bundle) {
		pb.Content = &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: h[:]},
			Signature:     sig,
		}}
	})
	if err != nil {
		return identity, err.Error()
	}
	if _, identity, problem = verifyBundle(b, payload, digest, Policy{Keyless: kl}); problem != "" {
		return identity, problem
	}
	pl, err := parsePayload(payload)
	if err != nil {
		return identity, err.Error()
	}
	if pl.Critical.Image.DockerManifestDigest != digest {
		return identity, fmt.Sprintf("signed by %s, but the payload names %s, not this image's %s", identity, pl.Critical.Image.DockerManifestDigest, digest)
	}
	return identity, ""
}

// legacyBundle builds a v0.1 bundle from a legacy layer's annotations: the
// certificate (or, without one, an unnamed public key for key-signed
// layers), the Rekor entry and SET, and an RFC 3161 timestamp.
func legacyBundle(ann map[string]string, setContent func(*protobundle.Bundle)) (*bundle.Bundle, string, error) {
	vm := &protobundle.VerificationMaterial{}
	identity := ""
	if pemCert := ann[CertificateAnnotation]; pemCert != "" {
		certs, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(pemCert))
		if err != nil || len(certs) == 0 {
			return nil, "", fmt.Errorf("the %s annotation is not a PEM certificate", CertificateAnnotation)
		}
		identity = certSigner(certs[0])
		vm.Content = &protobundle.VerificationMaterial_Certificate{Certificate: &protocommon.X509Certificate{RawBytes: certs[0].Raw}}
	} else {
		vm.Content = &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{}}
	}
	if rb := ann[RekorBundleAnnotation]; rb != "" {
		tle, err := legacyTlogEntry(rb)
		if err != nil {
			return nil, identity, err
		}
		vm.TlogEntries = []*protorekor.TransparencyLogEntry{tle}
	}
	if ts := ann[TimestampAnnotation]; ts != "" {
		var rec TimestampRecord
		if err := json.Unmarshal([]byte(ts), &rec); err != nil {
			return nil, identity, fmt.Errorf("the %s annotation is not a timestamp record: %w", TimestampAnnotation, err)
		}
		vm.TimestampVerificationData = &protobundle.TimestampVerificationData{
			Rfc3161Timestamps: []*protocommon.RFC3161SignedTimestamp{{SignedTimestamp: rec.SignedRFC3161Timestamp}},
		}
	}
	pb := &protobundle.Bundle{MediaType: BundleMediaTypePrefix + "+json;version=0.1", VerificationMaterial: vm}
	setContent(pb)
	b, err := bundle.NewBundle(pb)
	if err != nil {
		return nil, identity, fmt.Errorf("keyless signature by %s: %w", identity, err)
	}
	return b, identity, nil
}

// legacyTlogEntry turns the Rekor bundle annotation into a transparency
// log entry with its inclusion promise.
func legacyTlogEntry(annotation string) (*protorekor.TransparencyLogEntry, error) {
	var rb RekorBundle
	if err := json.Unmarshal([]byte(annotation), &rb); err != nil {
		return nil, fmt.Errorf("the %s annotation is not a Rekor bundle: %w", RekorBundleAnnotation, err)
	}
	body, err := base64.StdEncoding.DecodeString(rb.Payload.Body)
	if err != nil {
		return nil, fmt.Errorf("the Rekor bundle body is not base64: %w", err)
	}
	logID, err := hex.DecodeString(rb.Payload.LogID)
	if err != nil {
		return nil, fmt.Errorf("the Rekor bundle log ID is not hex: %w", err)
	}
	var kv struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal(body, &kv); err != nil || kv.Kind == "" {
		return nil, errors.New("the Rekor bundle body names no entry kind")
	}
	return &protorekor.TransparencyLogEntry{
		LogIndex:          rb.Payload.LogIndex,
		LogId:             &protocommon.LogId{KeyId: logID},
		KindVersion:       &protorekor.KindVersion{Kind: kv.Kind, Version: kv.APIVersion},
		IntegratedTime:    rb.Payload.IntegratedTime,
		InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: rb.SignedEntryTimestamp},
		CanonicalizedBody: body,
	}, nil
}

package trust

import (
	"encoding/json"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
)

// Attestation is one in-toto attestation found for an image: a DSSE
// envelope whose statement is about the image's digest, and whether it
// verified under the policy. Attestations are evidence about an image (its
// provenance, its SBOM); they never count as the image's signature.
type Attestation struct {
	// Where is "tag <tag> layer <n>" or "referrer <digest>".
	Where string
	// PredicateType is the statement's predicate type as found (read
	// before verification, so a failed one still says what it claimed).
	PredicateType string
	Key           string
	Identity      string
	Problem       string
}

// Verified reports whether the attestation verified.
func (a Attestation) Verified() bool { return a.Problem == "" }

// AttestationTag is the tag under which cosign stores the attestations of
// a manifest digest ("sha256:ab.." -> "sha256-ab...att").
func AttestationTag(digest string) string { return strings.Replace(digest, ":", "-", 1) + ".att" }

// PredicateAliases are the short names cosign's --type takes for the
// predicate types people ask for most.
var PredicateAliases = map[string]string{
	"slsaprovenance":   "https://slsa.dev/provenance/v0.2",
	"slsaprovenance02": "https://slsa.dev/provenance/v0.2",
	"slsaprovenance1":  "https://slsa.dev/provenance/v1",
	"spdx":             "https://spdx.dev/Document",
	"spdxjson":         "https://spdx.dev/Document",
	"cyclonedx":        "https://cyclonedx.org/bom",
	"vuln":             "https://cosign.sigstore.dev/attestation/vuln/v1",
	"openvex":          "https://openvex.dev/ns",
	"custom":           "https://cosign.sigstore.dev/attestation/v1",
}

// MatchesType reports whether predicateType is what want asks for: a short
// name (slsaprovenance matches every SLSA provenance version) or a URI.
func MatchesType(predicateType, want string) bool {
	w := strings.ToLower(want)
	switch w {
	case "slsaprovenance":
		return strings.HasPrefix(predicateType, "https://slsa.dev/provenance/")
	case "cyclonedx":
		return strings.HasPrefix(predicateType, "https://cyclonedx.org/bom")
	case "openvex":
		return strings.HasPrefix(predicateType, "https://openvex.dev/ns")
	}
	if uri, ok := PredicateAliases[w]; ok {
		return predicateType == uri
	}
	return predicateType == want
}

// envelopeJSON is a DSSE envelope as cosign writes it in an .att layer
// (base64 payload and signatures).
type envelopeJSON struct {
	PayloadType string `json:"payloadType"`
	Payload     []byte `json:"payload"`
	Signatures  []struct {
		KeyID string `json:"keyid"`
		Sig   []byte `json:"sig"`
	} `json:"signatures"`
}

// checkAttestationManifest checks each DSSE layer of the .att manifest.
func checkAttestationManifest(img v1.Image, where, digest string, p Policy) []Attestation {
	m, err := img.Manifest()
	if err != nil {
		return []Attestation{{Where: where, Problem: "unreadable attestation manifest: " + err.Error()}}
	}
	var out []Attestation
	for i, l := range m.Layers {
		if i >= maxSignatures {
			break
		}
		if l.MediaType != DSSEMediaType {
			continue
		}
		a := Attestation{Where: fmt.Sprintf("%s layer %d", where, i)}
		a.PredicateType, a.Key, a.Identity, a.Problem = checkAttestationLayer(img, l, digest, p)
		out = append(out, a)
	}
	return out
}

// checkAttestationLayer verifies one DSSE envelope layer: with a key
// directly, keyless through a bundle rebuilt from the annotations; either
// way the statement's subject must name digest.
func checkAttestationLayer(img v1.Image, l v1.Descriptor, digest string, p Policy) (predicateType, key, identity, problem string) {
	data, err := readLayer(img, l, maxBundle)
	if err != nil {
		return "", "", "", err.Error()
	}
	var ej envelopeJSON
	if err := json.Unmarshal(data, &ej); err != nil {
		return "", "", "", "not a DSSE envelope: " + err.Error()
	}
	env := &protodsse.Envelope{PayloadType: ej.PayloadType, Payload: ej.Payload}
	for _, s := range ej.Signatures {
		env.Signatures = append(env.Signatures, &protodsse.Signature{Sig: s.Sig, Keyid: s.KeyID})
	}
	st, err := parseStatement(env)
	if err != nil {
		return "", "", "", err.Error()
	}
	if len(env.Signatures) == 0 {
		return st.PredicateType, "", "", "the envelope carries no signature"
	}
	b, identity, err := legacyBundle(l.Annotations, func(pb *protobundle.Bundle) {
		pb.Content = &protobundle.Bundle_DsseEnvelope{DsseEnvelope: env}
	})
	if err != nil {
		return st.PredicateType, "", identity, err.Error()
	}
	key, identity, problem = verifyBundle(b, nil, digest, p)
	return st.PredicateType, key, identity, problem
}

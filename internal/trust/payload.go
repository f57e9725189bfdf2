package trust

import (
	"encoding/json"
	"fmt"
)

// Media types and annotations of cosign's registry layout.
const (
	// PayloadMediaType is the media type of a simple-signing payload layer.
	PayloadMediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
	// SignatureAnnotation holds the base64 signature of the payload.
	SignatureAnnotation = "dev.cosignproject.cosign/signature"
	// SignatureArtifactType is the artifactType of a signature manifest
	// stored as an OCI 1.1 referrer.
	SignatureArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json"
	// PayloadType is the critical.type of a container image signature.
	PayloadType = "cosign container image signature"
)

// Payload is the simple-signing document a cosign signature signs: the
// critical section binds the signature to one manifest digest.
type Payload struct {
	Critical struct {
		Identity struct {
			DockerReference string `json:"docker-reference"`
		} `json:"identity"`
		Image struct {
			DockerManifestDigest string `json:"docker-manifest-digest"`
		} `json:"image"`
		Type string `json:"type"`
	} `json:"critical"`
	Optional map[string]any `json:"optional,omitempty"`
}

// NewPayload returns the payload that signs digest for the repository
// repo, as cosign writes it.
func NewPayload(repo, digest string) ([]byte, error) {
	var p Payload
	p.Critical.Identity.DockerReference = repo
	p.Critical.Image.DockerManifestDigest = digest
	p.Critical.Type = PayloadType
	return json.Marshal(p)
}

// parsePayload decodes a payload and checks it is an image signature.
func parsePayload(b []byte) (*Payload, error) {
	var p Payload
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("payload is not simple-signing JSON: %w", err)
	}
	if p.Critical.Type != PayloadType {
		return nil, fmt.Errorf("payload type is %q, not %q", p.Critical.Type, PayloadType)
	}
	if p.Critical.Image.DockerManifestDigest == "" {
		return nil, fmt.Errorf("payload names no manifest digest")
	}
	return &p, nil
}

package image

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1008 reports an image whose signatures were checked (image
// --require-signature) and did not verify. The engine makes the registry
// calls before the rules run and leaves its verdict on the image; without
// --require-signature there is no verdict and the rule is silent.
var IM1008 = &rule.Rule{
	ID:       "IM1008",
	Slug:     "unsigned-image",
	Title:    "Image is not signed by a trusted key",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "A signature ties an image digest to whoever holds the signing key. Without one that verifies under a key " +
		"the organisation trusts, nothing shows the image was built by its own pipeline rather than pushed by someone " +
		"with write access to the registry, or swapped under a mutable tag. A signature of another digest (copied next " +
		"to this one) proves nothing about this image.",
	Fix: "Sign the image after it is pushed (`cosign sign --key cosign.key REGISTRY/IMAGE@DIGEST`) in the pipeline that " +
		"builds it, and list the public key under `trust.keys` in .shipshape.yaml (or pass `--key`); for keyless " +
		"signing (`cosign sign` with an OIDC identity), list the signer under `trust.identities` with the " +
		"`trust.trusted-root` it is verified against.",
	Bad:   "shipshape image --require-signature --key cosign.pub registry.example.com/app:1.4   # no sha256-<hex>.sig signature",
	Good:  "cosign sign --key cosign.key registry.example.com/app@sha256:...   # then the same check passes",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.5"}},
	References: []string{
		"https://docs.sigstore.dev/cosign/signing/signing_with_containers/",
		"https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md",
	},
	Check: checkUnsigned,
}

func checkUnsigned(p *rule.Pass) error {
	v := imageOf(p).Signature
	if v == nil || v.Verified {
		return nil
	}
	reportConfig(p, "", "the image is not signed by a trusted key: %s", v.Problem)
	return nil
}

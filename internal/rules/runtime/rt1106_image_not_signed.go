package runtime

import "github.com/shipshape-sec/shipshape/internal/rule"

// RT1106 reports a container whose image did not verify when audit was
// asked to check signatures (--require-signature): unsigned, signed only
// by untrusted keys or for another digest, or without a registry digest to
// check at all. The engine makes the registry calls and leaves its verdict
// on the live record; without --require-signature there is no verdict and
// the rule is silent. It is the running side of IM1008.
var RT1106 = &rule.Rule{
	ID:       "RT1106",
	Slug:     "container-image-not-signed",
	Title:    "Container runs an image not signed by a trusted key",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "Signing images in the pipeline proves nothing unless what runs is checked: a container started from an " +
		"image pushed by someone else with registry write access, retagged, or built by hand on the host runs with " +
		"whatever it holds. Only the image's registry digest ties a running container to a signature; an image that was " +
		"built or imported locally has none, so nothing shows where it came from.",
	Fix: "Run only images pulled by a registry reference whose digest is signed under a key listed in `trust.keys` " +
		"or keylessly by a signer listed in `trust.identities` " +
		"(`cosign sign --key cosign.key REGISTRY/IMAGE@DIGEST` in the pipeline), and replace containers whose image " +
		"does not verify.",
	Bad:   "docker run registry.example.com/app:1.4   # no sha256-<hex>.sig signature for its digest",
	Good:  "cosign sign --key cosign.key registry.example.com/app@sha256:...   # then shipshape audit --require-signature is quiet",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.5"}},
	References: []string{
		"https://docs.sigstore.dev/cosign/signing/signing_with_containers/",
		"https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.Live == nil || s.Live.Signature == nil || s.Live.Signature.Verified {
				continue
			}
			reportFix(p, s.Self, 0, "run "+who(s)+" from an image whose registry digest is signed under a trusted key",
				"%s runs image %s, which is not signed by a trusted key: %s", who(s), s.Image, s.Live.Signature.Problem)
		}
		return nil
	},
}

// Package trust checks where an image comes from: cosign signatures and
// in-toto attestations stored in a registry, verified against public keys
// or, keyless, against a Sigstore trusted root and signer identities, with
// sigstore's Go libraries (sigstore for keys, sigstore-go for bundles).
//
// Cosign stores a signature of image digest D in one of three ways: a
// manifest under the tag sha256-<hex of D>.sig (each layer a simple-signing
// payload naming D, its signature in an annotation and, keyless, the
// Fulcio certificate and Rekor entry in more annotations); a cosign
// signature manifest whose subject is D, found through the OCI 1.1
// referrers API; or (cosign v3) a Sigstore bundle referrer whose DSSE
// in-toto statement has D as subject and https://sigstore.dev/cosign/sign/v1
// as predicate. Attestations live in the sha256-<hex>.att tag (DSSE layers)
// or as bundle referrers with other predicates; they are reported apart and
// never stand in for a signature.
//
// A signature counts only when it verifies under the policy and is about
// the digest being checked, so a signature copied from another image never
// vouches for this one. Keyless verification is offline: the certificate
// must chain to the root's Fulcio CA and name a trusted identity, and the
// Rekor entry (inclusion proof or signed entry timestamp) must verify
// under the root's log key; the legacy tag layout is rebuilt into a bundle
// and verified the same way.
//
// This package talks to registries (go-containerregistry); rules never
// import it: the engine runs it and hands the rules a verdict.
package trust

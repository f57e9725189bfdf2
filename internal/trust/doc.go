// Package trust checks where an image comes from: cosign signatures stored
// in a registry, verified against public keys with sigstore's Go libraries.
//
// Cosign stores a signature of image digest D in one of two places: a
// manifest under the tag sha256-<hex of D>.sig in the image's repository
// (the tag scheme every cosign release reads and writes), or a manifest
// whose subject is D, found through the OCI 1.1 referrers API. Either way
// each layer is a "simple signing" JSON payload naming D, and the layer's
// annotation dev.cosignproject.cosign/signature holds the base64 signature
// of exactly those payload bytes. A signature counts only when it verifies
// under a trusted key and its payload names the digest being checked, so a
// signature copied from another image never vouches for this one.
//
// This package talks to registries (go-containerregistry); rules never
// import it: the engine runs it and hands the rules a verdict.
package trust

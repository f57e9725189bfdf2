// Package image reads a container image without a Docker daemon (docker
// save tarballs, OCI layouts, registries, and a daemon's API when asked) in
// one streaming pass over its layers: whiteouts applied, each file's
// provenance kept, hostile input contained, results cached per layer
// digest. Image rules (IM1xxx) and the SBOM catalogers read the Image value
// it produces; they never touch layers themselves.
package image

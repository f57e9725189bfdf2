// Package imageread reads a container image without a Docker daemon (docker
// save tarballs, OCI layouts, root filesystem directories, registries, and a
// daemon's API when asked) in one streaming pass over its layers: whiteouts
// applied, each file's provenance kept, hostile input contained, results
// cached per layer digest. It fills the image.Image model that image rules
// and the SBOM catalogers read; they never touch layers themselves.
package imageread

// Package image is the model of a scanned container image that image rules
// (IM1xxx), the secrets scanner and the SBOM catalogers read: its
// configuration, history, layers, the final file view with each file's
// provenance, every entry of every layer, and what content scanners found.
// It holds no reader: package imageread fills an Image in one streaming
// pass, so that rules never depend on registry or archive code.
package image

// Package encode writes an sbom.SBOM as CycloneDX 1.6 (JSON or XML), SPDX
// 2.3 JSON, or shipshape's own versioned JSON. Output is deterministic:
// packages in the model's order, serial numbers and document namespaces
// derived from the subject's digest (or its package list when it has
// none), timestamps from the image's creation time when known.
package encode

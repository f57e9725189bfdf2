// Package sbom is shipshape's software bill of materials: the package
// model every cataloger fills (OS package databases, Go binaries, npm,
// Python, Java archives) and the encoders that write it as CycloneDX 1.6
// or SPDX 2.3. The vulnerability matcher reads the same model.
package sbom

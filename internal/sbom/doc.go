// Package sbom is shipshape's software bill of materials: the package
// model every cataloger fills (OS package databases, Go binaries, npm,
// Python, Java archives) and the encoders that write it as CycloneDX 1.6
// or SPDX 2.3 (package encode). The vulnerability matcher reads the same
// model.
//
// Cataloguing rides on the image's single streaming pass. Each cataloger
// is a declared value (Catalogers): its name, the files it needs captured
// (package databases, dpkg file lists, package.json, package-lock.json,
// yarn.lock, pnpm-lock.yaml, Python METADATA, the release files) or read
// by the content scanner as they stream by (Go executables, Java
// archives), and a version.
// ScanOptions builds an imageread.ScanOptions from them, and the layer
// cache key from the same declarations (CacheKey).
// FromImage then builds the SBOM from the scanned image; a directory (a
// root filesystem or a project) is read the same way, as an image of one
// layer (imageread.Open("dir:...")).
//
// The content scanner is an image.RecordScanner: it returns its packages
// as image.Record values of RecordKind, which the pass caches per layer and
// marks deleted like secrets, and FromImage reads from Image.Records.
package sbom

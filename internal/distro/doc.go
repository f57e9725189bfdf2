// Package distro identifies the Linux distribution a root filesystem is
// built on, from its release files, once for every reader: the image rules
// (IM1500 names the distribution, IM1501 checks its end of life) and the
// SBOM (its operating-system component, the distro qualifier of package
// URLs, and the advisory ecosystem the vulnerability matcher queries).
// Reading it in one place keeps them from disagreeing: an image the rules
// call Alpine 3.10 is matched against Alpine 3.10's advisories, and one
// with no identity is reported as not assessed by both.
//
// Identify reads files through a function, so that it serves a scanned
// image's captured files (image.Image.ReadCaptured) and a directory alike
// (FS over an os.Root), and holds no file-system or archive code.
package distro

package image

import (
	"github.com/shipshape-sec/shipshape/internal/image"
)

// The functions below expose the definitions some rules use, so that
// `shipshape harden` removes exactly what these rules report and its
// verification re-scan agrees with its plan: one list of shells, one of
// package managers, one of caches.

// Tool is an executable found in an image's PATH directories: Name as
// looked up, Path the lookup path ("/bin/sh"), Real the path of the
// regular file it resolves to ("/usr/bin/dash").
type Tool struct {
	Name, Path, Real string
}

// Shells returns the shells IM1202 reports in im.
func Shells(im *image.Image) []Tool { return exported(findTools(im, shells)) }

// PackageManagers returns the package managers IM1203 reports in im.
func PackageManagers(im *image.Image) []Tool { return exported(findTools(im, packageManagers)) }

// EntrypointNeedsShell reports whether im's entrypoint or command runs
// through a shell (or is empty, so that `docker run IMAGE` would get one
// from the user), as IM1202 decides it.
func EntrypointNeedsShell(im *image.Image) bool { return entrypointNeedsShell(im) }

// CacheOf returns the package-manager cache IM1300 files p under: its
// name ("apt package lists") and directory.
func CacheOf(p string) (name, dir string, ok bool) { return cacheOf(p) }

// IsRootUser reports whether a configuration User value means root, as
// IM1000 reads it.
func IsRootUser(u string) bool { return isRootUser(u) }

func exported(fs []found) []Tool {
	out := make([]Tool, 0, len(fs))
	for _, f := range fs {
		out = append(out, Tool{Name: f.name, Path: f.path, Real: f.file.Path})
	}
	return out
}

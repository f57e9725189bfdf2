package image

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/distro"
)

// ErrSymlinkLoop is wrapped by Resolve's error when resolving a path takes
// more than MaxSymlinkHops symbolic links (a cycle, or a hostile chain).
// MaxSymlinkHops bounds symlink resolution, as Linux's MAXSYMLINKS.
const MaxSymlinkHops = 40

var ErrSymlinkLoop = errors.New("too many levels of symbolic links")

// Resolve looks name up in the final view, following symbolic links in
// every component (as the kernel would inside the image's root: "/bin" ->
// "usr/bin" in merged-/usr distributions) and confining ".." to the root.
// A missing file wraps fs.ErrNotExist; a cycle wraps ErrSymlinkLoop.
func (img *Image) Resolve(name string) (*File, error) {
	p, err := img.ResolvePath(name)
	if err != nil {
		return nil, err
	}
	f, ok := img.File(p)
	if !ok {
		return nil, fmt.Errorf("resolve %s: %w", name, fs.ErrNotExist)
	}
	return f, nil
}

// ResolvePath returns the clean absolute path name leads to after
// following every symbolic link; the final path may not exist (a dangling
// link), in which case the error wraps fs.ErrNotExist and the path is still
// returned.
func (img *Image) ResolvePath(name string) (string, error) {
	hops := 0
	// pending holds the components still to walk, resolved is the real
	// directory reached so far.
	pending := SplitPath(name)
	resolved := "/"
	for len(pending) > 0 {
		c := pending[0]
		pending = pending[1:]
		switch c {
		case ".":
			continue
		case "..":
			resolved = path.Dir(resolved)
			continue
		}
		next := path.Join(resolved, c)
		f, ok := img.File(next)
		if !ok {
			rest := path.Join(append([]string{next}, pending...)...)
			return rest, fmt.Errorf("resolve %s: %s: %w", name, next, fs.ErrNotExist)
		}
		if f.Typeflag != symlinkType && f.Mode&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		hops++
		if hops > MaxSymlinkHops {
			return next, fmt.Errorf("resolve %s: %w", name, ErrSymlinkLoop)
		}
		target := f.Linkname
		if strings.HasPrefix(target, "/") {
			resolved = "/"
		}
		pending = append(SplitPath(target), pending...)
	}
	return resolved, nil
}

// ReadCaptured returns the captured content of name, following symbolic
// links; ok is false when the file was not captured or does not exist. An
// image whose final view does not list every parent directory (one built
// by hand, as tests do) is read by the whole path, following a link at its
// last component only.
func (img *Image) ReadCaptured(name string) (data []byte, ok bool) {
	p, err := img.ResolvePath(name)
	if err == nil {
		data, ok = img.Captured[p]
		return data, ok
	}
	if errors.Is(err, ErrSymlinkLoop) {
		return nil, false
	}
	return img.readUnlisted(name)
}

// readUnlisted looks name up whole in Captured and Files: where
// ResolvePath found a missing parent directory, a file the scan did
// capture still counts.
func (img *Image) readUnlisted(name string) ([]byte, bool) {
	p := path.Clean("/" + name)
	for range MaxSymlinkHops {
		if data, ok := img.Captured[p]; ok {
			return data, true
		}
		f, _ := img.File(p)
		if f == nil || f.Linkname == "" || (f.Typeflag != symlinkType && f.Mode&fs.ModeSymlink == 0) {
			return nil, false
		}
		t := f.Linkname
		if !strings.HasPrefix(t, "/") {
			t = path.Join(path.Dir(p), t)
		}
		p = path.Clean(t)
	}
	return nil, false
}

// Distro identifies the distribution the image is built on from its
// captured release files (distro.Files, which DefaultCapture keeps): the
// one identity the image rules and the SBOM share.
func (img *Image) Distro() (distro.Release, bool) {
	return distro.Identify(img.ReadCaptured)
}

// OSReleasePaths are where os-release lives, in the order systemd reads
// them.
var OSReleasePaths = []string{"/etc/os-release", "/usr/lib/os-release"}

// OSRelease returns the content of the image's os-release and the path it
// came from: /etc/os-release (following links), else /usr/lib/os-release,
// so that a dangling /etc/os-release link does not lose the distribution.
// It needs both paths captured (DefaultCapture does). Distro reads it and
// the other release files into one identity.
func (img *Image) OSRelease() (data []byte, from string, ok bool) {
	for _, p := range OSReleasePaths {
		if d, ok := img.ReadCaptured(p); ok {
			return d, p, true
		}
	}
	return nil, "", false
}

// SplitPath returns the non-empty components of a slash-separated path.
func SplitPath(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

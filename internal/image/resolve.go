package image

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
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
	f, ok := img.Files[p]
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
		f, ok := img.Files[next]
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
// links; ok is false when the file was not captured or does not exist.
func (img *Image) ReadCaptured(name string) (data []byte, ok bool) {
	p, err := img.ResolvePath(name)
	if err != nil {
		return nil, false
	}
	data, ok = img.Captured[p]
	return data, ok
}

// OSReleasePaths are where os-release lives, in the order systemd reads
// them.
var OSReleasePaths = []string{"/etc/os-release", "/usr/lib/os-release"}

// OSRelease returns the content of the image's os-release and the path it
// came from: /etc/os-release (following links), else /usr/lib/os-release,
// so that a dangling /etc/os-release link does not lose the distribution.
// It needs both paths captured (DefaultCapture does).
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

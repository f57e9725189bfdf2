package imagetest

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// WriteTree writes files (slash-separated path relative to dir → content)
// into dir as regular files of mode 0o644, creating parent directories.
func WriteTree(dir string, files map[string]string) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	entries := make([]Entry, len(names))
	for i, n := range names {
		entries[i] = File(n, files[n])
	}
	return WriteEntries(dir, entries...)
}

// WriteEntries writes entries into dir as an image's layer would be
// unpacked: files with their modes (setuid included), directories,
// symbolic and hard links, parent directories created as needed, whiteouts
// deleting what dir held. A path that leaves dir or passes through a
// symbolic link is an error. Owners are not applied: the files belong to
// whoever runs the test.
func WriteEntries(dir string, entries ...Entry) error {
	b, err := TarOf(entries...)
	if err != nil {
		return err
	}
	return extract(dir, bytes.NewReader(b))
}

// extract unpacks one tar stream into dir.
func extract(dir string, r io.Reader) error {
	u := &unpacker{dir: dir, dirs: map[string]*tar.Header{}}
	if err := u.layer(r); err != nil {
		return err
	}
	return u.finish()
}

// unpacker unpacks layers into dir, one after the other, as a container
// runtime does: whiteouts delete from what the layers below wrote, an
// opaque marker empties its directory of them. Directory modes are applied
// last (a read-only directory would refuse its content), hard links once
// the layer's files exist.
type unpacker struct {
	dir  string
	dirs map[string]*tar.Header
}

func (u *unpacker) layer(r io.Reader) error {
	if err := os.MkdirAll(u.dir, 0o755); err != nil {
		return err
	}
	var links []*tar.Header
	var opaque []string
	written := map[string]bool{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		// A whiteout creates nothing, not even its parent directories.
		wh := strings.HasPrefix(path.Base(h.Name), ".wh.")
		p, err := target(u.dir, h.Name, !wh)
		if err != nil {
			return err
		}
		parent, base := filepath.Split(p)
		switch {
		case base == ".wh..wh..opq":
			opaque = append(opaque, filepath.Clean(parent))
			continue
		case strings.HasPrefix(base, ".wh."):
			if err := os.RemoveAll(filepath.Join(parent, strings.TrimPrefix(base, ".wh."))); err != nil {
				return err
			}
			continue
		}
		for q := p; len(q) > len(u.dir); q = filepath.Dir(q) {
			written[q] = true
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = u.mkdir(p, h)
		case tar.TypeReg:
			err = writeFile(p, h, tr)
		case tar.TypeSymlink:
			os.Remove(p)
			err = os.Symlink(h.Linkname, p)
		case tar.TypeLink:
			links = append(links, h)
		}
		if err != nil {
			return err
		}
	}
	for _, h := range links {
		if err := u.link(h); err != nil {
			return err
		}
	}
	for _, d := range opaque {
		if err := clearLower(d, written); err != nil {
			return err
		}
	}
	return nil
}

func (u *unpacker) mkdir(p string, h *tar.Header) error {
	if err := os.Mkdir(p, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if fi, err := os.Lstat(p); err != nil || !fi.IsDir() {
		return fmt.Errorf("%q: not a directory", h.Name)
	}
	u.dirs[p] = h
	return nil
}

func (u *unpacker) link(h *tar.Header) error {
	p, err := target(u.dir, h.Name, true)
	if err != nil {
		return err
	}
	from, err := target(u.dir, h.Linkname, false)
	if err != nil {
		return err
	}
	os.Remove(p)
	return os.Link(from, p)
}

// clearLower removes what dir holds from lower layers: everything but the paths
// this layer wrote.
func clearLower(dir string, written map[string]bool) error {
	des, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, de := range des {
		p := filepath.Join(dir, de.Name())
		if written[p] {
			if de.IsDir() {
				if err := clearLower(p, written); err != nil {
					return err
				}
			}
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// finish applies the directories' modes and times, deepest first.
func (u *unpacker) finish() error {
	paths := make([]string, 0, len(u.dirs))
	for p := range u.dirs {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
	for _, p := range paths {
		h := u.dirs[p]
		if fi, err := os.Lstat(p); err != nil || !fi.IsDir() {
			continue // deleted or replaced by a later layer
		}
		if err := os.Chmod(p, h.FileInfo().Mode()&modeBits); err != nil {
			return err
		}
		if err := os.Chtimes(p, h.ModTime, h.ModTime); err != nil {
			return err
		}
	}
	return nil
}

// modeBits are the mode bits the tree writers apply.
const modeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// target returns where name goes under dir, creating its missing parent
// directories when create is set; it refuses a name that leaves dir or a
// parent that is a symbolic link, so that nothing is written outside dir.
func target(dir, name string, create bool) (string, error) {
	rel := path.Clean(strings.TrimPrefix(name, "/"))
	if rel == "." || !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", fmt.Errorf("%q: not a path inside the tree", name)
	}
	p := dir
	parts := strings.Split(rel, "/")
	for _, part := range parts[:len(parts)-1] {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !create:
			return filepath.Join(dir, filepath.FromSlash(rel)), nil
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(p, 0o755); err != nil {
				return "", err
			}
		case err != nil:
			return "", err
		case !fi.IsDir():
			return "", fmt.Errorf("%q: %s is not a directory", name, p)
		}
	}
	return filepath.Join(p, parts[len(parts)-1]), nil
}

func writeFile(p string, h *tar.Header, r io.Reader) error {
	os.Remove(p)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(p, h.FileInfo().Mode()&modeBits); err != nil {
		return err
	}
	return os.Chtimes(p, h.ModTime, h.ModTime)
}

package imageread

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// dirSource is a root filesystem directory read as one pseudo-layer, with
// an empty configuration.
type dirSource struct {
	ref, root string
}

func openDir(ref, root string) (Source, error) {
	fi, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", ref)
	}
	return &dirSource{ref: ref, root: root}, nil
}

func (d *dirSource) Ref() string                         { return d.ref }
func (d *dirSource) Kind() string                        { return "dir" }
func (d *dirSource) Digest() string                      { return "" }
func (d *dirSource) Platform() string                    { return "" }
func (d *dirSource) ConfigFile() (*v1.ConfigFile, error) { return &v1.ConfigFile{}, nil }
func (d *dirSource) Layers() ([]LayerSource, error)      { return []LayerSource{dirLayer{d.root}}, nil }
func (d *dirSource) Close() error                        { return nil }

type dirLayer struct{ root string }

func (l dirLayer) Digest() string { return "" }
func (l dirLayer) DiffID() string { return "" }
func (l dirLayer) Name() string   { return "dir " + l.root }

// Open streams the directory as a tar archive, written by a goroutine as
// it is read: nothing is copied to disk or held whole in memory. Symbolic
// links are recorded, never followed.
func (l dirLayer) Open() (io.ReadCloser, error) {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := filepath.WalkDir(l.root, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(l.root, p)
			if err != nil || rel == "." {
				return err
			}
			fi, err := os.Lstat(p)
			if err != nil {
				return err
			}
			link := ""
			if fi.Mode()&fs.ModeSymlink != 0 {
				if link, err = os.Readlink(p); err != nil {
					return err
				}
			}
			h, err := tar.FileInfoHeader(fi, link)
			if err != nil {
				// Sockets have no tar form; skip them.
				return nil
			}
			h.Name = filepath.ToSlash(rel)
			if fi.IsDir() {
				h.Name += "/"
			}
			var f *os.File
			if fi.Mode().IsRegular() {
				if f, err = os.Open(p); err != nil {
					return err
				}
				defer f.Close()
			}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			if f != nil {
				if _, err := io.Copy(tw, io.LimitReader(f, fi.Size())); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, nil
}

package imageread

import (
	"fmt"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// v1Source is a Source over a go-containerregistry image.
type v1Source struct {
	ref, kind string
	img       v1.Image
	digest    string
	// blobDigests is false where a layer's blob digest costs a read of the
	// layer (docker-archive layers stored uncompressed: ggcr would gzip
	// them to compute it); those layers are named by DiffID.
	blobDigests bool
	// plain, where set, opens a layer stored as a plain tar by offset
	// (sectionBuffer); ok is false for any other layer.
	plain   func(v1.Descriptor) (rc io.ReadCloser, ok bool)
	closers []func() error
}

func newV1Source(ref, kind string, img v1.Image, closers []func() error) *v1Source {
	return &v1Source{ref: ref, kind: kind, img: img, blobDigests: true, closers: closers}
}

func (s *v1Source) Ref() string    { return s.ref }
func (s *v1Source) Kind() string   { return s.kind }
func (s *v1Source) Digest() string { return s.digest }

func (s *v1Source) Platform() string {
	cf, err := s.img.ConfigFile()
	if err != nil || cf == nil {
		return ""
	}
	return platformString(cf.OS, cf.Architecture, cf.Variant)
}

func platformString(os, arch, variant string) string {
	p := os + "/" + arch
	if variant != "" {
		p += "/" + variant
	}
	return p
}

func (s *v1Source) ConfigFile() (*v1.ConfigFile, error) { return s.img.ConfigFile() }

// Layers names each layer from the config's diff_ids and, where cheap, the
// manifest's digests, never from the layer itself: ggcr computes a
// compressed layer's DiffID by decompressing it, which would read every
// layer once more (and defeat the cache).
func (s *v1Source) Layers() ([]LayerSource, error) {
	ls, err := s.img.Layers()
	if err != nil {
		return nil, err
	}
	var diffIDs []v1.Hash
	if cf, err := s.img.ConfigFile(); err == nil && len(cf.RootFS.DiffIDs) == len(ls) {
		diffIDs = cf.RootFS.DiffIDs
	}
	var digests []v1.Descriptor
	if s.blobDigests {
		if m, err := s.img.Manifest(); err == nil && len(m.Layers) == len(ls) {
			digests = m.Layers
		}
	}
	out := make([]LayerSource, len(ls))
	for i, l := range ls {
		v := &v1Layer{l: l}
		if diffIDs != nil {
			v.diffID = diffIDs[i].String()
		}
		if digests != nil {
			v.digest = digests[i].Digest.String()
			if s.plain != nil {
				d := digests[i]
				v.plain = func() (io.ReadCloser, bool) { return s.plain(d) }
			}
		}
		out[i] = v
	}
	return out, nil
}

func (s *v1Source) Close() error {
	var first error
	for _, c := range s.closers {
		if err := c(); err != nil && first == nil {
			first = err
		}
	}
	s.closers = nil
	return first
}

type v1Layer struct {
	l              v1.Layer
	digest, diffID string
	plain          func() (io.ReadCloser, bool)
}

func (l *v1Layer) Digest() string { return l.digest }
func (l *v1Layer) DiffID() string { return l.diffID }
func (l *v1Layer) Open() (io.ReadCloser, error) {
	if l.plain != nil {
		if rc, ok := l.plain(); ok {
			return rc, nil
		}
	}
	return l.l.Uncompressed()
}

// parsePlatform reads "os/arch[/variant]".
func parsePlatform(s string) (v1.Platform, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return v1.Platform{}, fmt.Errorf("platform %q: want os/arch[/variant]", s)
	}
	p := v1.Platform{OS: parts[0], Architecture: parts[1]}
	if len(parts) == 3 {
		p.Variant = parts[2]
	}
	return p, nil
}

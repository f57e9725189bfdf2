package imageread

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// maxManifestSize bounds the JSON documents (index, manifest, config) read
// into memory.
const maxManifestSize = 8 << 20

// blobStore reads the files of an OCI image layout, in a directory or in a
// tar archive.
type blobStore interface {
	open(name string) (io.ReadCloser, error)
	// section serves a blob by offset where the store can; the closer,
	// if any, releases what was opened for it.
	section(name string) (*io.SectionReader, io.Closer, bool)
	close() error
}

type dirStore struct{ root string }

func (d dirStore) open(name string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(d.root, filepath.FromSlash(name)))
}

func (d dirStore) section(name string) (*io.SectionReader, io.Closer, bool) {
	f, err := os.Open(filepath.Join(d.root, filepath.FromSlash(name)))
	if err != nil {
		return nil, nil, false
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	return io.NewSectionReader(f, 0, fi.Size()), f, true
}
func (d dirStore) close() error { return nil }

// tarStore serves the members of a tar archive. An uncompressed archive is
// indexed once and served by offset; a gzipped one is read from the start
// for each member (it cannot seek).
type tarStore struct {
	p       string
	f       *os.File
	members map[string]*io.SectionReader
}

func newTarStore(p string) (*tarStore, error) {
	rc, gz, err := openArchive(p)
	if err != nil {
		return nil, err
	}
	if gz {
		rc.Close()
		return &tarStore{p: p}, nil
	}
	f := rc.(*os.File)
	s := &tarStore{p: p, f: f, members: map[string]*io.SectionReader{}}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("read archive: %w", readErr(err))
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		// tar reads headers block by block without read-ahead, so the
		// file offset is where this member's content starts.
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			f.Close()
			return nil, err
		}
		s.members[memberName(h.Name)] = io.NewSectionReader(f, off, h.Size)
	}
}

func memberName(n string) string { return strings.TrimPrefix(path.Clean("/"+n), "/") }

func (s *tarStore) open(name string) (io.ReadCloser, error) {
	if s.members != nil {
		sr, ok := s.members[name]
		if !ok {
			return nil, fmt.Errorf("%s: not in the archive", name)
		}
		return io.NopCloser(io.NewSectionReader(sr, 0, sr.Size())), nil
	}
	rc, _, err := openArchive(s.p)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			rc.Close()
			return nil, fmt.Errorf("%s: not in the archive", name)
		}
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("read archive: %w", readErr(err))
		}
		if memberName(h.Name) == name {
			return readCloser{tr, rc.Close}, nil
		}
	}
}

// section is a member of an uncompressed archive as a section of the
// file; ok is false for a gzipped archive or a missing member.
func (s *tarStore) section(name string) (*io.SectionReader, io.Closer, bool) {
	sr, ok := s.members[name]
	if !ok {
		return nil, nil, false
	}
	return io.NewSectionReader(sr, 0, sr.Size()), nil, true
}

func (s *tarStore) close() error {
	if s.f != nil {
		return s.f.Close()
	}
	return nil
}

func blobName(h v1.Hash) (string, error) {
	if h.Algorithm == "" || strings.ContainsAny(h.Algorithm+h.Hex, "/\\.") || h.Hex == "" {
		return "", fmt.Errorf("invalid digest %q", h.String())
	}
	return "blobs/" + h.Algorithm + "/" + h.Hex, nil
}

func readAllLimited(rc io.ReadCloser, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxManifestSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxManifestSize {
		return nil, fmt.Errorf("document larger than %d bytes", maxManifestSize)
	}
	return data, nil
}

func readBlob(s blobStore, h v1.Hash) ([]byte, error) {
	name, err := blobName(h)
	if err != nil {
		return nil, err
	}
	data, err := readAllLimited(s.open(name))
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	return data, nil
}

func openOCI(ref, p string, opts OpenOptions) (Source, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	var store blobStore
	if fi.IsDir() {
		store = dirStore{p}
	} else {
		ts, err := newTarStore(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		store = ts
	}
	src, err := ociSource(ref, store, opts)
	if err != nil {
		store.close()
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return src, nil
}

func ociSource(ref string, store blobStore, opts OpenOptions) (Source, error) {
	data, err := readAllLimited(store.open("index.json"))
	if err != nil {
		return nil, fmt.Errorf("OCI layout index.json: %w", err)
	}
	im, err := v1.ParseIndexManifest(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("OCI layout index.json: %w", err)
	}
	load := func(h v1.Hash) (*v1.IndexManifest, error) {
		data, err := readBlob(store, h)
		if err != nil {
			return nil, err
		}
		return v1.ParseIndexManifest(bytes.NewReader(data))
	}
	desc, err := pickManifest(im, opts.Platform, load, 0)
	if err != nil {
		return nil, err
	}
	raw, err := readBlob(store, desc.Digest)
	if err != nil {
		return nil, err
	}
	m, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", desc.Digest, err)
	}
	img, err := partial.CompressedToImage(&ociImage{store: store, desc: desc, raw: raw, manifest: m})
	if err != nil {
		return nil, err
	}
	s := newV1Source(ref, "oci", img, []func() error{store.close})
	s.digest = desc.Digest.String()
	s.plain = func(d v1.Descriptor) (io.ReadCloser, bool) {
		switch d.MediaType {
		case types.OCIUncompressedLayer, types.OCIUncompressedRestrictedLayer, types.DockerUncompressedLayer:
		default:
			return nil, false
		}
		name, err := blobName(d.Digest)
		if err != nil {
			return nil, false
		}
		return plainSection(store, name)
	}
	return s, nil
}

// ociImage is the minimal core partial needs to make a v1.Image.
type ociImage struct {
	store    blobStore
	desc     v1.Descriptor
	raw      []byte
	manifest *v1.Manifest
}

func (o *ociImage) RawConfigFile() ([]byte, error) {
	return readBlob(o.store, o.manifest.Config.Digest)
}
func (o *ociImage) MediaType() (types.MediaType, error) {
	if o.manifest.MediaType != "" {
		return o.manifest.MediaType, nil
	}
	return o.desc.MediaType, nil
}
func (o *ociImage) RawManifest() ([]byte, error) { return o.raw, nil }
func (o *ociImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if h == o.manifest.Config.Digest {
		return &ociBlob{store: o.store, desc: o.manifest.Config}, nil
	}
	for _, d := range o.manifest.Layers {
		if d.Digest == h {
			return &ociBlob{store: o.store, desc: d}, nil
		}
	}
	return nil, fmt.Errorf("layer %s: not in the manifest", h)
}

type ociBlob struct {
	store blobStore
	desc  v1.Descriptor
}

func (b *ociBlob) Digest() (v1.Hash, error) { return b.desc.Digest, nil }
func (b *ociBlob) Compressed() (io.ReadCloser, error) {
	name, err := blobName(b.desc.Digest)
	if err != nil {
		return nil, err
	}
	return b.store.open(name)
}
func (b *ociBlob) Size() (int64, error)                { return b.desc.Size, nil }
func (b *ociBlob) MediaType() (types.MediaType, error) { return b.desc.MediaType, nil }

// maxIndexDepth bounds nested indexes (a hostile layout could loop).
const maxIndexDepth = 4

// pickManifest chooses the image manifest for the wanted platform
// ("" = the host's) from an index, descending into nested indexes. An
// index holding a single image without platform (docker save's index.json)
// yields it. When nothing matches, the error lists what is available.
func pickManifest(im *v1.IndexManifest, want string, load func(v1.Hash) (*v1.IndexManifest, error), depth int) (v1.Descriptor, error) {
	explicit := want != ""
	if !explicit {
		want = runtime.GOOS + "/" + runtime.GOARCH
	}
	wp, err := parsePlatform(want)
	if err != nil {
		return v1.Descriptor{}, err
	}
	var available []string
	d, ok, err := pickIn(im, wp, load, depth, &available)
	if err != nil {
		return v1.Descriptor{}, err
	}
	if ok {
		return d, nil
	}
	if len(available) == 0 {
		return v1.Descriptor{}, fmt.Errorf("the index lists no image")
	}
	sort.Strings(available)
	how := "platform"
	if !explicit {
		how = "the host's platform"
	}
	return v1.Descriptor{}, fmt.Errorf("no image for %s %s in the index; available: %s (choose with --platform)", how, want, strings.Join(available, ", "))
}

func pickIn(im *v1.IndexManifest, wp v1.Platform, load func(v1.Hash) (*v1.IndexManifest, error), depth int, available *[]string) (v1.Descriptor, bool, error) {
	if depth > maxIndexDepth {
		return v1.Descriptor{}, false, fmt.Errorf("indexes nested more than %d deep", maxIndexDepth)
	}
	var images, indexes []v1.Descriptor
	for _, d := range im.Manifests {
		switch {
		case d.MediaType.IsIndex():
			indexes = append(indexes, d)
		case d.MediaType.IsImage() || d.MediaType == "":
			// Attestations (unknown/unknown) are images of nothing.
			if d.Platform != nil && d.Platform.OS == "unknown" {
				continue
			}
			images = append(images, d)
		}
	}
	if len(images) == 1 && images[0].Platform == nil && len(indexes) == 0 {
		return images[0], true, nil
	}
	for _, d := range images {
		if d.Platform == nil {
			*available = append(*available, "(no platform)")
			continue
		}
		p := d.Platform
		*available = append(*available, platformString(p.OS, p.Architecture, p.Variant))
		if p.OS == wp.OS && p.Architecture == wp.Architecture && (wp.Variant == "" || p.Variant == wp.Variant) {
			return d, true, nil
		}
	}
	for _, d := range indexes {
		child, err := load(d.Digest)
		if err != nil {
			return v1.Descriptor{}, false, fmt.Errorf("index %s: %w", d.Digest, err)
		}
		got, ok, err := pickIn(child, wp, load, depth+1, available)
		if err != nil || ok {
			return got, ok, err
		}
	}
	return v1.Descriptor{}, false, nil
}

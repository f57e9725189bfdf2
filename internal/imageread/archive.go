package imageread

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	gzip "github.com/klauspost/compress/gzip"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// dockerArchive reads a "docker save" archive. ggcr's tarball.Image would
// do, but it hashes every compressed layer to build a manifest before the
// first layer is read and decompresses a layer again for its DiffID; here
// the manifest.json (ggcr's tarball.Manifest type) and the config name
// everything, and an uncompressed archive is served by offset.
type dockerArchive struct {
	ref, kind string
	store     *tarStore
	cfg       *v1.ConfigFile
	layers    []string
	closers   []func() error
}

func openDockerArchive(ref, p string) (Source, error) {
	store, err := newTarStore(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	a, err := readDockerArchive(ref, store)
	if err != nil {
		store.close()
		return nil, fmt.Errorf("%s: docker archive: %w", ref, err)
	}
	return a, nil
}

func readDockerArchive(ref string, store *tarStore) (*dockerArchive, error) {
	data, err := readAllLimited(store.open("manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	var m tarball.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("manifest.json lists no image")
	}
	if len(m) > 1 {
		var tags []string
		for _, d := range m {
			tags = append(tags, strings.Join(d.RepoTags, ","))
		}
		return nil, fmt.Errorf("the archive holds %d images (%s); save one image per archive", len(m), strings.Join(tags, "; "))
	}
	d := m[0]
	raw, err := readAllLimited(store.open(memberName(d.Config)))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", d.Config, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", d.Config, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(d.Layers) {
		return nil, fmt.Errorf("config lists %d layers, manifest.json %d", len(cfg.RootFS.DiffIDs), len(d.Layers))
	}
	return &dockerArchive{ref: ref, kind: "docker-archive", store: store, cfg: cfg, layers: d.Layers, closers: []func() error{store.close}}, nil
}

func (a *dockerArchive) Ref() string    { return a.ref }
func (a *dockerArchive) Kind() string   { return a.kind }
func (a *dockerArchive) Digest() string { return "" }
func (a *dockerArchive) Platform() string {
	return platformString(a.cfg.OS, a.cfg.Architecture, a.cfg.Variant)
}
func (a *dockerArchive) ConfigFile() (*v1.ConfigFile, error) { return a.cfg, nil }

func (a *dockerArchive) Layers() ([]LayerSource, error) {
	out := make([]LayerSource, len(a.layers))
	for i, p := range a.layers {
		l := &archiveLayer{store: a.store, member: memberName(p), diffID: a.cfg.RootFS.DiffIDs[i].String()}
		// Docker 25+ stores blobs by digest: blobs/sha256/<hex>.
		if hex, ok := strings.CutPrefix(l.member, "blobs/sha256/"); ok {
			l.digest = "sha256:" + hex
		}
		out[i] = l
	}
	return out, nil
}

func (a *dockerArchive) Close() error {
	var first error
	for _, c := range a.closers {
		if err := c(); err != nil && first == nil {
			first = err
		}
	}
	a.closers = nil
	return first
}

type archiveLayer struct {
	store          *tarStore
	member         string
	digest, diffID string
}

func (l *archiveLayer) Digest() string { return l.digest }
func (l *archiveLayer) DiffID() string { return l.diffID }

// Open decompresses a gzip layer; docker save writes them plain. A plain
// layer of an uncompressed archive is served by offset, so that the tar
// reader can seek past content (sectionBuffer).
func (l *archiveLayer) Open() (io.ReadCloser, error) {
	if b, ok := plainSection(l.store, l.member); ok {
		return b, nil
	}
	rc, err := l.store.open(l.member)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return readCloser{zr, rc.Close}, nil
	case bytes.Equal(magic, zstdMagic):
		rc.Close()
		return nil, fmt.Errorf("zstd-compressed layer in a docker archive: not supported")
	}
	return readCloser{br, rc.Close}, nil
}

package imageread

import (
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
)

// merger applies the layers' results in order to the image's Tree.
type merger struct {
	img *image.Image
	// fileAt maps (layer, path) of files holding secrets or records to
	// their entry, -1 until the entry is met.
	fileAt map[layerPath]int
}

type layerPath struct {
	layer int
	path  string
}

func newMerger(img *image.Image, entries int) *merger {
	img.FS = image.NewTree(entries)
	return &merger{img: img, fileAt: map[layerPath]int{}}
}

// apply adds one layer: its whiteouts first (they hide only lower layers),
// then its entries in tar order. The Tree keeps no entry's path string
// (it copies the names into its own), so the paths each decodes serve.
func (m *merger) apply(layer int, res *layerResult) error {
	t := m.img.FS
	err := res.Entries.each(func(e layerEntry) {
		switch {
		case !e.Whiteout:
		case e.Opaque:
			t.Opaque(e.Path)
		default:
			t.Remove(e.Path)
		}
	})
	if err != nil {
		return err
	}
	return res.Entries.each(func(e layerEntry) {
		if !e.Whiteout {
			k := layerPath{layer, e.Path}
			if _, ok := m.fileAt[k]; ok {
				// Storing may replace the key's string: it must be one
				// that outlives this call (see entryList.each).
				k.path = strings.Clone(k.path)
				m.fileAt[k] = t.NumEntries()
			}
		}
		t.Add(image.Entry{Path: e.Path, Layer: layer, Size: e.Size, Mode: e.Mode, Typeflag: e.Typeflag,
			Whiteout: e.Whiteout, Opaque: e.Opaque, UID: e.UID, GID: e.GID, Linkname: e.Linkname})
	})
}

// finish settles what depends on the final view: the captured files that
// survive, whether each secret's and record's file was deleted, and their
// order.
func (m *merger) finish(results []*layerResult) {
	m.img.Captured = map[string][]byte{}
	for i, res := range results {
		for p, data := range res.Captured {
			if f, ok := m.img.File(p); ok && f.Layer == i && f.Mode.IsRegular() {
				m.img.Captured[p] = data
			}
		}
	}
	for i := range m.img.Secrets {
		s := &m.img.Secrets[i]
		s.Deleted = m.deleted(s.Layer, s.Path)
	}
	for i := range m.img.Records {
		r := &m.img.Records[i]
		r.Deleted = m.deleted(r.Layer, r.Path)
	}
	sort.SliceStable(m.img.Secrets, func(a, b int) bool {
		x, y := m.img.Secrets[a], m.img.Secrets[b]
		if x.Layer != y.Layer {
			return x.Layer < y.Layer
		}
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		return x.Line < y.Line
	})
	sort.SliceStable(m.img.Records, func(a, b int) bool {
		x, y := m.img.Records[a], m.img.Records[b]
		if x.Layer != y.Layer {
			return x.Layer < y.Layer
		}
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		return x.Kind < y.Kind
	})
}

// deleted reports whether the copy of path that layer added is gone from
// the final view: its entry was shadowed, or, for a path no entry of that
// layer declared, the final view holds another copy or none.
func (m *merger) deleted(layer int, path string) bool {
	if idx, ok := m.fileAt[layerPath{layer, path}]; ok && idx >= 0 {
		return m.img.FS.Shadowed(idx)
	}
	f, ok := m.img.File(path)
	return !ok || f.Layer != layer
}

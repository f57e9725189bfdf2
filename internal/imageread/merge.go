package imageread

import (
	"archive/tar"
	"io/fs"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
)

// node is one path of the final view while layers are applied.
type node struct {
	children map[string]*node
	// entry indexes Image.Entries, -1 for a directory no entry declared.
	entry int
	file  *image.File
}

type merger struct {
	img  *image.Image
	root *node
	// fileAt maps (layer, path) of files holding secrets or records to
	// their entry.
	fileAt map[layerPath]int
}

type layerPath struct {
	layer int
	path  string
}

func (n *node) isDir() bool { return n.file == nil || n.file.Mode.IsDir() }

// lookup finds the node of a clean absolute path without following links.
func (m *merger) lookup(p string) *node {
	n := m.root
	for _, c := range image.SplitPath(p) {
		if n.children == nil {
			return nil
		}
		if n = n.children[c]; n == nil {
			return nil
		}
	}
	return n
}

// parent returns the directory node that holds p, creating missing
// directories (a layer may omit its parents) and replacing a non-directory
// that stands where a directory must be.
func (m *merger) parent(p string, layer int) (*node, string) {
	n := m.root
	// p is clean and absolute: each directory on the way is a prefix of
	// it, sliced rather than built, so deep hostile paths stay linear.
	start := 1
	for {
		i := strings.IndexByte(p[start:], '/')
		if i < 0 {
			return n, p[start:]
		}
		end := start + i
		c := p[start:end]
		if n.children == nil {
			n.children = map[string]*node{}
		}
		child := n.children[c]
		if child == nil || !child.isDir() {
			if child != nil {
				m.shadow(child)
			}
			child = &node{entry: -1, file: &image.File{Path: p[:end], Mode: fs.ModeDir | 0o755, Typeflag: tar.TypeDir, Layer: layer}}
			n.children[c] = child
		}
		n = child
		start = end + 1
	}
}

// shadow marks n and everything under it as hidden by a later layer.
func (m *merger) shadow(n *node) {
	if n.entry >= 0 {
		m.img.Entries[n.entry].Shadowed = true
	}
	for _, c := range n.children {
		m.shadow(c)
	}
}

// apply adds one layer: its whiteouts first (they hide only lower layers),
// then its entries in tar order.
func (m *merger) apply(layer int, res *layerResult) {
	for _, e := range res.Entries {
		if !e.Whiteout {
			continue
		}
		if e.Opaque {
			if n := m.lookup(e.Path); n != nil && n.isDir() {
				for _, c := range n.children {
					m.shadow(c)
				}
				n.children = nil
			}
			continue
		}
		if e.Path == "/" {
			continue
		}
		dir, name := splitLast(e.Path)
		if d := m.lookup(dir); d != nil && d.children != nil {
			if n := d.children[name]; n != nil {
				m.shadow(n)
				delete(d.children, name)
			}
		}
	}
	for _, e := range res.Entries {
		idx := len(m.img.Entries)
		m.img.Entries = append(m.img.Entries, image.Entry{
			Path: e.Path, Layer: layer, Size: e.Size, Mode: e.Mode, Typeflag: e.Typeflag,
			Whiteout: e.Whiteout, Opaque: e.Opaque, UID: e.UID, GID: e.GID, Linkname: e.Linkname,
		})
		if e.Whiteout {
			continue
		}
		if _, ok := m.fileAt[layerPath{layer, e.Path}]; ok {
			m.fileAt[layerPath{layer, e.Path}] = idx
		}
		d, name := m.parent(e.Path, layer)
		if d.children == nil {
			d.children = map[string]*node{}
		}
		f := &image.File{Path: e.Path, Mode: e.Mode, Size: e.Size, UID: e.UID, GID: e.GID, Linkname: e.Linkname, Typeflag: e.Typeflag, Layer: layer}
		old := d.children[name]
		if old != nil && old.isDir() && e.Mode.IsDir() {
			// A directory declared again keeps its content; only its
			// metadata changes.
			if old.entry >= 0 {
				m.img.Entries[old.entry].Shadowed = true
			}
			old.entry, old.file = idx, f
			continue
		}
		if old != nil {
			m.shadow(old)
		}
		d.children[name] = &node{entry: idx, file: f}
	}
}

func splitLast(p string) (dir, name string) {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/", p[i+1:]
	}
	return p[:i], p[i+1:]
}

// finish fills the final view from the tree and settles what depends on it.
func (m *merger) finish(results []*layerResult) {
	m.img.Files = map[string]*image.File{}
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			m.img.Files[c.file.Path] = c.file
			walk(c)
		}
	}
	walk(m.root)
	m.img.Captured = map[string][]byte{}
	for i, res := range results {
		for p, data := range res.Captured {
			if f, ok := m.img.Files[p]; ok && f.Layer == i && f.Mode.IsRegular() {
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
		return m.img.Entries[idx].Shadowed
	}
	f, ok := m.img.Files[path]
	return !ok || f.Layer != layer
}

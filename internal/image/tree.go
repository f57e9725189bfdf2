package image

import (
	"archive/tar"
	"hash/maphash"
	"io/fs"
	"iter"
	"path"
	"strings"
	"unsafe"
)

// Tree holds every file entry of every layer and the final view of an
// image in a compact form: each distinct path is one node naming its
// parent and its last component (so a directory's path is stored once,
// not once per file under it), and each entry is a fixed-size record
// pointing at its node. A 200,000-file layer costs about 90 bytes per
// file this way, where strings and a map of *File cost several hundred;
// that is what keeps an image pass within its memory bound whatever the
// file count. File and Entry values are built on demand from it.
//
// A Tree is filled by one writer, layer by layer (Add, Remove, Opaque),
// and read concurrently afterwards.
type Tree struct {
	nodes []treeNode
	// names holds every node's name back to back: one allocation for all
	// of them rather than one string each.
	names   []byte
	entries []entryRec
	// links holds the Linkname of the few entries that have one; ids the
	// owner of the (hostile, rare) entries whose ids do not fit an int32.
	links map[int32]string
	ids   map[int32][2]int
	// slots is an open-addressing hash table of node index+1 by (parent,
	// name), 0 for an empty slot.
	slots []int32
	seed  maphash.Seed
	// files counts the nodes present in the final view, the root aside.
	files int
}

// treeNode is one distinct path.
type treeNode struct {
	// name is names[off:off+size].
	off, size uint32
	// parent, first child and next sibling, -1 for none.
	parent, child, next int32
	// cur is the final view's copy: the index of the entry that placed
	// it, absent when curAbsent, or a directory no entry declared that a
	// deeper path created in layer L when cur <= curImplicit (cur ==
	// curImplicit-L).
	cur int32
}

const (
	curAbsent   = -1
	curImplicit = -2
)

// entryRec is one entry of one layer.
type entryRec struct {
	size     int64
	uid, gid int32
	node     int32
	layer    int32
	mode     fs.FileMode
	typeflag byte
	flags    byte
}

const (
	flagWhiteout = 1 << iota
	flagShadowed
	flagOpaque
)

// NewTree returns a Tree holding only the root directory, with room for
// about n entries (the sum of the layers' entry counts, known before the
// merge): growing by doubling would leave the old arrays as garbage at
// the worst moment.
func NewTree(n int) *Tree {
	n = max(n, 16)
	// A node per distinct path: the entries' paths plus the directories
	// no entry declares (a layer may hold a/b/c without a/ and a/b/). With
	// room for exactly n, a 200,000-file layer whose 4,000 directories are
	// implicit grew the array by a quarter in the middle of the merge: the
	// old one (5 MB) still live beside the new one, and 1 MB never used.
	// A sixteenth more covers a directory per 16 files.
	nn := n + n/16 + 1
	t := &Tree{seed: maphash.MakeSeed(), entries: make([]entryRec, 0, n), nodes: make([]treeNode, 0, nn)}
	slots := 1024
	for slots < 2*(n+1) {
		slots *= 2
	}
	t.slots = make([]int32, slots)
	t.names = make([]byte, 0, 16*n)
	t.nodes = append(t.nodes, treeNode{parent: -1, child: -1, next: -1, cur: curImplicit})
	return t
}

func (t *Tree) hash(parent int32, name string) uint64 {
	return maphash.String(t.seed, name) ^ (uint64(uint32(parent)) * 0x9E3779B97F4A7C15)
}

// hashNode is hash of node n's own name and parent (maphash.Bytes equals
// maphash.String of the same bytes).
func (t *Tree) hashNode(n *treeNode) uint64 {
	return maphash.Bytes(t.seed, t.nameOf(n)) ^ (uint64(uint32(n.parent)) * 0x9E3779B97F4A7C15)
}

func (t *Tree) nameOf(n *treeNode) []byte { return t.names[n.off : n.off+n.size] }

// find returns the node of name under parent, or -1.
func (t *Tree) find(parent int32, name string) int32 {
	mask := uint64(len(t.slots) - 1)
	for i := t.hash(parent, name) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if n := &t.nodes[s-1]; n.parent == parent && string(t.nameOf(n)) == name {
			return s - 1
		}
	}
}

// intern returns the node of name under parent, creating it absent.
func (t *Tree) intern(parent int32, name string) int32 {
	if n := t.find(parent, name); n >= 0 {
		return n
	}
	if 2*(len(t.nodes)+1) > len(t.slots) {
		t.grow()
	}
	idx := int32(len(t.nodes))
	// The name is copied: it is a slice of a path that must not be kept.
	off := uint32(len(t.names))
	t.names = append(t.names, name...)
	t.nodes = append(t.nodes, treeNode{off: off, size: uint32(len(name)), parent: parent, child: -1, next: t.nodes[parent].child, cur: curAbsent})
	t.nodes[parent].child = idx
	t.place(idx)
	return idx
}

func (t *Tree) place(idx int32) {
	mask := uint64(len(t.slots) - 1)
	i := t.hashNode(&t.nodes[idx]) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = idx + 1
}

func (t *Tree) grow() {
	t.slots = make([]int32, 2*len(t.slots))
	for i := 1; i < len(t.nodes); i++ {
		t.place(int32(i))
	}
}

// walk returns the node of a clean absolute path, or -1; with create,
// missing nodes are made (absent).
func (t *Tree) walk(p string, create bool) int32 {
	n := int32(0)
	for start := 1; start < len(p); {
		end := strings.IndexByte(p[start:], '/')
		if end < 0 {
			end = len(p)
		} else {
			end += start
		}
		if create {
			n = t.intern(n, p[start:end])
		} else if n = t.find(n, p[start:end]); n < 0 {
			return -1
		}
		start = end + 1
	}
	return n
}

// lookup returns the node of p in the final view, or -1. A present node's
// ancestors are all present directories (drop clears whole subtrees), so
// the last component decides.
func (t *Tree) lookup(p string) int32 {
	n := t.walk(p, false)
	if n < 0 || t.nodes[n].cur == curAbsent {
		return -1
	}
	return n
}

func (t *Tree) present(n int32) bool { return t.nodes[n].cur != curAbsent }

func (t *Tree) isDir(n int32) bool {
	c := t.nodes[n].cur
	return c <= curImplicit || (c >= 0 && t.entries[c].mode.IsDir())
}

// drop removes n and everything under it from the final view, marking
// the entries that placed them shadowed.
func (t *Tree) drop(n int32) {
	nd := &t.nodes[n]
	if nd.cur == curAbsent {
		return
	}
	if nd.cur >= 0 {
		t.entries[nd.cur].flags |= flagShadowed
	}
	nd.cur = curAbsent
	t.files--
	t.dropChildren(n)
}

func (t *Tree) dropChildren(n int32) {
	for c := t.nodes[n].child; c >= 0; c = t.nodes[c].next {
		t.drop(c)
	}
}

func (t *Tree) set(n, cur int32) {
	if t.nodes[n].cur == curAbsent {
		t.files++
	}
	t.nodes[n].cur = cur
}

// Remove applies a whiteout of the clean absolute path p: the copy the
// lower layers hold, and everything under it, leaves the final view.
func (t *Tree) Remove(p string) {
	if p == "/" {
		return
	}
	if n := t.lookup(p); n >= 0 {
		t.drop(n)
	}
}

// Opaque applies an opaque-directory marker: what the lower layers hold
// under directory p leaves the final view.
func (t *Tree) Opaque(p string) {
	if n := t.lookup(p); n >= 0 && t.isDir(n) {
		t.dropChildren(n)
	}
}

// Add records e (its Shadowed ignored) as the next entry and, unless it is
// a whiteout or opaque marker, places it in the final view: missing parent
// directories are created (a layer may omit them), a non-directory
// standing where a directory must be is replaced, and a directory
// declared again keeps its content. Remove and Opaque apply the markers;
// a layer's markers go first, as they hide only lower layers.
func (t *Tree) Add(e Entry) {
	idx := int32(len(t.entries))
	var flags byte
	if e.Whiteout {
		flags |= flagWhiteout
	}
	if e.Opaque {
		flags |= flagOpaque
	}
	n := t.walk(e.Path, true)
	t.entries = append(t.entries, entryRec{size: e.Size, uid: int32(e.UID), gid: int32(e.GID), node: n, layer: int32(e.Layer), mode: e.Mode, typeflag: e.Typeflag, flags: flags})
	if int(int32(e.UID)) != e.UID || int(int32(e.GID)) != e.GID {
		if t.ids == nil {
			t.ids = map[int32][2]int{}
		}
		t.ids[idx] = [2]int{e.UID, e.GID}
	}
	if e.Linkname != "" {
		if t.links == nil {
			t.links = map[int32]string{}
		}
		t.links[idx] = e.Linkname
	}
	if e.Whiteout || n == 0 {
		return
	}
	// Make the parents directories of the final view, from the top.
	t.ensureDir(t.nodes[n].parent, int32(e.Layer))
	if t.present(n) {
		if t.isDir(n) && e.Mode.IsDir() {
			if c := t.nodes[n].cur; c >= 0 {
				t.entries[c].flags |= flagShadowed
			}
			t.nodes[n].cur = idx
			return
		}
		t.drop(n)
	}
	t.set(n, idx)
}

// ensureDir makes n a directory of the final view, and its ancestors
// first: an absent one is created in layer, a non-directory is replaced.
func (t *Tree) ensureDir(n, layer int32) {
	if n <= 0 {
		return
	}
	t.ensureDir(t.nodes[n].parent, layer)
	if t.present(n) {
		if t.isDir(n) {
			return
		}
		t.drop(n)
	}
	t.set(n, curImplicit-layer)
}

// path builds the clean absolute path of node n in one allocation: the
// rules walk every file of the final view, some of them several times,
// and the path was half of what they allocated.
func (t *Tree) path(n int32) string {
	if n == 0 {
		return "/"
	}
	size := 0
	for c := n; c > 0; c = t.nodes[c].parent {
		size += 1 + int(t.nodes[c].size)
	}
	b := make([]byte, size)
	for c := n; c > 0; c = t.nodes[c].parent {
		name := t.nameOf(&t.nodes[c])
		size -= len(name)
		copy(b[size:], name)
		size--
		b[size] = '/'
	}
	// b is written in full and never again, so it can be the string's
	// memory, as strings.Builder does with its buffer.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// file builds the final view's File of present node n.
func (t *Tree) file(n int32, p string) *File {
	f := new(File)
	t.fill(f, n, p)
	return f
}

// fill sets f to the final view's File of present node n at path p.
func (t *Tree) fill(f *File, n int32, p string) {
	c := t.nodes[n].cur
	if c <= curImplicit {
		*f = File{Path: p, Mode: fs.ModeDir | 0o755, Typeflag: tar.TypeDir, Layer: int(curImplicit - c)}
		return
	}
	e := &t.entries[c]
	uid, gid := t.owner(c)
	*f = File{Path: p, Mode: e.mode, Size: e.size, UID: uid, GID: gid, Linkname: t.links[c], Typeflag: e.typeflag, Layer: int(e.layer)}
}

// owner returns the ids of entry i.
func (t *Tree) owner(i int32) (uid, gid int) {
	if id, ok := t.ids[i]; ok {
		return id[0], id[1]
	}
	return int(t.entries[i].uid), int(t.entries[i].gid)
}

// File returns the final view's file at the clean absolute path p; any
// other spelling ("etc/passwd", "/etc/") names no file, as it named no key
// of the map this replaced.
func (t *Tree) File(p string) (*File, bool) {
	if t == nil || p == "/" || p == "" || p[0] != '/' || path.Clean(p) != p {
		return nil, false
	}
	n := t.lookup(p)
	if n < 0 {
		return nil, false
	}
	return t.file(n, p), true
}

// Files yields every file of the final view (the root aside), in no
// particular order. The *File it yields is the same value each time,
// overwritten as the walk moves on: a caller that keeps a file beyond
// its turn keeps a copy (its Path, or the File value). A new File per
// file was a third of what the image rules allocated.
func (t *Tree) Files() iter.Seq[*File] {
	return func(yield func(*File) bool) {
		if t == nil {
			return
		}
		f := new(File)
		for i := 1; i < len(t.nodes); i++ {
			if t.nodes[i].cur == curAbsent {
				continue
			}
			t.fill(f, int32(i), t.path(int32(i)))
			if !yield(f) {
				return
			}
		}
	}
}

// NumFiles counts the files of the final view.
func (t *Tree) NumFiles() int {
	if t == nil {
		return 0
	}
	return t.files
}

// NumEntries counts the entries of every layer.
func (t *Tree) NumEntries() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// Entry returns entry i, 0 <= i < NumEntries(), oldest first.
func (t *Tree) Entry(i int) Entry {
	e := &t.entries[i]
	uid, gid := t.owner(int32(i))
	return Entry{Path: t.path(e.node), Layer: int(e.layer), Size: e.size, Mode: e.mode, Typeflag: e.typeflag,
		Whiteout: e.flags&flagWhiteout != 0, Shadowed: e.flags&flagShadowed != 0, Opaque: e.flags&flagOpaque != 0,
		UID: uid, GID: gid, Linkname: t.links[int32(i)]}
}

// Entries yields every entry of every layer with its index, oldest first.
func (t *Tree) Entries() iter.Seq2[int, Entry] {
	return func(yield func(int, Entry) bool) {
		for i := range t.NumEntries() {
			if !yield(i, t.Entry(i)) {
				return
			}
		}
	}
}

// Shadowed reports whether a later layer overwrote or deleted entry i.
func (t *Tree) Shadowed(i int) bool { return t.entries[i].flags&flagShadowed != 0 }

// File returns the final view's file at the clean absolute path p ("/"
// is not a file), a new *File on each call.
func (im *Image) File(p string) (*File, bool) { return im.FS.File(p) }

// Files yields every file of the final view, in no particular order, as
// Tree.Files does: one *File overwritten at each step.
func (im *Image) Files() iter.Seq[*File] { return im.FS.Files() }

// NumFiles counts the files of the final view.
func (im *Image) NumFiles() int { return im.FS.NumFiles() }

// Entries yields every file entry of every layer with its index, oldest
// first, including those a later layer overwrote or deleted.
func (im *Image) Entries() iter.Seq2[int, Entry] { return im.FS.Entries() }

// NumEntries counts the entries of every layer.
func (im *Image) NumEntries() int { return im.FS.NumEntries() }

// Entry returns entry i of Entries.
func (im *Image) Entry(i int) Entry { return im.FS.Entry(i) }

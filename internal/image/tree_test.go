package image

import (
	"archive/tar"
	"io/fs"
	"testing"
)

// TestTreeMerge checks the final view and the shadowed marks through
// whiteouts, an opaque directory, a directory declared again, a file
// replacing a directory and a directory replacing a file, and that only
// clean absolute paths name files.
func TestTreeMerge(t *testing.T) {
	tr := NewTree(0)
	reg := func(p string, layer int) Entry {
		return Entry{Path: p, Layer: layer, Mode: 0o644, Typeflag: tar.TypeReg, Size: 1}
	}
	dir := func(p string, layer int) Entry {
		return Entry{Path: p, Layer: layer, Mode: fs.ModeDir | 0o700, Typeflag: tar.TypeDir}
	}
	// Layer 0.
	tr.Add(reg("/a/b/c", 0))                                                                                                    // 0: /a and /a/b implicit
	tr.Add(dir("/d", 0))                                                                                                        // 1
	tr.Add(reg("/d/x", 0))                                                                                                      // 2
	tr.Add(reg("/e", 0))                                                                                                        // 3
	tr.Add(Entry{Path: "/l", Layer: 0, Mode: fs.ModeSymlink | 0o777, Typeflag: tar.TypeSymlink, Linkname: "a/b", UID: 1 << 40}) // 4
	// Layer 1: markers first, then entries.
	tr.Remove("/a/b")
	tr.Opaque("/d")
	tr.Add(Entry{Path: "/a/b", Layer: 1, Whiteout: true})             // 5
	tr.Add(Entry{Path: "/d", Layer: 1, Whiteout: true, Opaque: true}) // 6
	tr.Add(dir("/d", 1))                                              // 7: declared again
	tr.Add(reg("/e/f", 1))                                            // 8: /e becomes a directory
	tr.Add(reg("/a", 1))                                              // 9: a file replaces /a

	for p, want := range map[string]bool{"/a/b/c": false, "/a/b": false, "/d/x": false, "/d": true, "/e/f": true, "/a": true, "/l": true} {
		if _, ok := tr.File(p); ok != want {
			t.Errorf("%s present = %v, want %v", p, ok, want)
		}
	}
	if f, _ := tr.File("/e"); f == nil || !f.Mode.IsDir() || f.Layer != 1 {
		t.Errorf("/e = %+v, want an implicit directory of layer 1", f)
	}
	if f, _ := tr.File("/d"); f == nil || f.Mode.Perm() != 0o700 || f.Layer != 1 {
		t.Errorf("/d = %+v", f)
	}
	if f, _ := tr.File("/l"); f == nil || f.Linkname != "a/b" || f.UID != 1<<40 {
		t.Errorf("/l = %+v", f)
	}
	for _, p := range []string{"a", "/a/", "/e/../a", ""} {
		if _, ok := tr.File(p); ok {
			t.Errorf("%q names a file", p)
		}
	}
	shadowed := map[int]bool{0: true, 1: true, 2: true, 3: true}
	for i, e := range tr.Entries() {
		if e.Shadowed != shadowed[i] {
			t.Errorf("entry %d %+v: shadowed %v, want %v", i, e, e.Shadowed, shadowed[i])
		}
	}
	if got := tr.NumFiles(); got != 5 { // /a, /d, /e, /e/f, /l
		t.Errorf("%d files, want 5", got)
	}
	// Files overwrites one File as it goes: each step must equal what
	// File returns for the same path, and a copy taken at a step keeps it.
	n := 0
	var first *File
	kept := map[string]File{}
	for f := range tr.Files() {
		n++
		if first == nil {
			first = f
		} else if f != first {
			t.Errorf("Files yielded a new *File at %s", f.Path)
		}
		want, ok := tr.File(f.Path)
		if !ok || *want != *f {
			t.Errorf("Files yields %+v, File(%q) = %+v, %v", *f, f.Path, want, ok)
		}
		kept[f.Path] = *f
	}
	if n != tr.NumFiles() || tr.NumEntries() != 10 || len(kept) != n {
		t.Errorf("Files yields %d (%d distinct), NumFiles %d, NumEntries %d", n, len(kept), tr.NumFiles(), tr.NumEntries())
	}
	for p, f := range kept {
		if want, _ := tr.File(p); want == nil || *want != f {
			t.Errorf("copy kept of %s = %+v, want %+v", p, f, want)
		}
	}
}

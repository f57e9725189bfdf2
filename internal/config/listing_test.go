package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestListingAgreesWithStat: for every kind of entry (regular file,
// directory, symbolic links to each and a dangling one, a FIFO) and for
// absent names, in listed and unlisted directories, Listing.Stat says what
// os.Stat says; and it answers without the file system where it may (a
// removed file stays known to a listing made before).
func TestListingAgreesWithStat(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(sub, 0o755))
	must(os.WriteFile(filepath.Join(dir, ".shipshape.yaml"), []byte("rules: {}\n"), 0o644))
	must(os.Mkdir(filepath.Join(dir, ".git"), 0o755))
	if err := os.Symlink(".shipshape.yaml", filepath.Join(dir, "link-file")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	must(os.Symlink("sub", filepath.Join(dir, "link-dir")))
	must(os.Symlink("nowhere", filepath.Join(dir, "dangling")))
	if err := mkfifo(filepath.Join(dir, "fifo")); err != nil {
		t.Logf("no FIFO: %v", err)
	}
	l := NewListing()
	l.Dir(dir)
	entries, err := os.ReadDir(dir)
	must(err)
	for _, e := range entries {
		l.Add(dir, e.Name(), e.Type())
	}
	names := []string{".shipshape.yaml", ".shipshape.yml", ".git", "sub", "link-file", "link-dir", "dangling", "fifo", "absent"}
	known := 0
	for _, d := range []string{dir, sub} {
		for _, n := range names {
			p := filepath.Join(d, n)
			st, err := os.Stat(p)
			wantExists, wantDir := err == nil, err == nil && st.IsDir()
			gotExists, gotDir := l.Stat(p)
			if gotExists != wantExists || gotDir != wantDir {
				t.Errorf("%s: listing says exists %v dir %v, os.Stat %v %v", p, gotExists, gotDir, wantExists, wantDir)
			}
			if _, _, ok := l.lookup(p); ok {
				known++
			}
			if got, want := l.Regular(p), err == nil && st.Mode().IsRegular(); got != want {
				t.Errorf("%s: listing says regular %v, os.Stat %v", p, got, want)
			}
		}
	}
	if known != 5 { // .shipshape.yaml, .shipshape.yml, .git, sub, absent in dir
		t.Errorf("%d answers from the listing, want 5", known)
	}
	// Answered from the listing, not the file system.
	must(os.Remove(filepath.Join(dir, ".shipshape.yaml")))
	if exists, _ := l.Stat(filepath.Join(dir, ".shipshape.yaml")); !exists {
		t.Error("a listed regular file was looked up again")
	}
	// A forgotten directory goes back to the file system.
	l.Forget(dir)
	if exists, _ := l.Stat(filepath.Join(dir, ".shipshape.yaml")); exists {
		t.Error("a forgotten directory was still answered from the listing")
	}
	// On a case- or normalisation-insensitive file system another entry
	// may be the file asked for: then absence is left to os.Stat.
	other := filepath.Join(dir, "other")
	must(os.Mkdir(other, 0o755))
	l.Dir(other)
	l.Add(other, ".Shipshape.YAML", 0)
	if _, _, ok := l.lookup(filepath.Join(other, ".shipshape.yaml")); ok {
		t.Error("a name another entry folds to was answered from the listing")
	}
	if _, _, ok := l.lookup(filepath.Join(other, ".git")); !ok {
		t.Error("an absent name no entry folds to was not answered from the listing")
	}
	l.Add(other, "caf\u00e9", 0)
	if _, _, ok := l.lookup(filepath.Join(other, ".git")); ok {
		t.Error("absence was answered in a directory with a non-ASCII name")
	}
	if exists, _ := l.Stat(filepath.Join(other, ".shipshape.yaml")); exists {
		t.Error("the fallback found a file that is not there")
	}
	var nl *Listing
	if exists, isDir := nl.Stat(sub); !exists || !isDir {
		t.Error("a nil listing does not fall back to os.Stat")
	}
}

// TestListingReadDir: a directory listed whole with AddEntry is read back
// from the listing, the entries os.ReadDir gave in their order, even after
// the directory changed; one not begun with Dir, given an entry by Add, or
// forgotten is read from the file system; so is any directory of a nil
// listing, and a relative path is resolved as the listing's others are.
func TestListingReadDir(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b", "a", "c.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	names := func(es []os.DirEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	want, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := NewListing()
	l.Dir(dir)
	for _, e := range want {
		l.AddEntry(dir, e)
	}
	// A new file after the walk: the listing still answers, without it.
	if err := os.WriteFile(filepath.Join(dir, "late"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := l.ReadDir(dir)
	if err != nil || !slices.Equal(names(got), names(want)) {
		t.Fatalf("ReadDir from the listing = %v, %v; want %v", names(got), err, names(want))
	}
	if rel, err := filepath.Rel(l.wd, dir); err == nil {
		if got, _ := l.ReadDir(rel); !slices.Equal(names(got), names(want)) {
			t.Errorf("ReadDir(%s) = %v, want the listing's %v", rel, names(got), names(want))
		}
	}
	fromDisk := append(names(want), "late")
	slices.Sort(fromDisk)
	// Not begun with Dir: the file system answers.
	l2 := NewListing()
	for _, e := range want {
		l2.AddEntry(dir, e)
	}
	// An entry added without its DirEntry: the slice is not the whole
	// listing.
	l3 := NewListing()
	l3.Dir(dir)
	for _, e := range want[1:] {
		l3.AddEntry(dir, e)
	}
	l3.Add(dir, want[0].Name(), want[0].Type())
	var nl *Listing
	for name, x := range map[string]*Listing{"not begun with Dir": l2, "given an entry by Add": l3, "nil": nl} {
		got, err := x.ReadDir(dir)
		if err != nil || !slices.Equal(names(got), fromDisk) {
			t.Errorf("%s: ReadDir = %v, %v; want the file system's %v", name, names(got), err, fromDisk)
		}
	}
	l.Forget(dir)
	if got, _ := l.ReadDir(dir); !slices.Equal(names(got), fromDisk) {
		t.Errorf("forgotten: ReadDir = %v, want the file system's %v", names(got), fromDisk)
	}
	if _, err := l.ReadDir(filepath.Join(dir, "absent")); err == nil {
		t.Error("ReadDir of a missing directory gave no error")
	}
}

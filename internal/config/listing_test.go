package config

import (
	"os"
	"path/filepath"
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

package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Listing holds the directory listings a lint's discovery walk read, so
// that later questions about the same directories (is there a
// .shipshape.yaml here? a .git?) are answered without a stat call each:
// the configuration lookup alone made four per directory of a corpus,
// more than a third of a lint's stat calls. An answer is given only when
// it is the one os.Stat would give: for a name absent from a complete
// listing (no such file), or present as a regular file or a directory;
// for a symbolic link, anything else, or a directory the walk did not
// read whole, the caller asks the file system. Safe for concurrent use.
type Listing struct {
	mu   sync.RWMutex
	dirs map[string]*dirList // absolute directory -> its entries
	// wd makes relative paths absolute, as filepath.Abs would; "" when
	// the working directory could not be read (then only absolute paths
	// are answered).
	wd string
}

// dirList is one directory's entries. A name missing from names is known
// absent only if no entry could be the same file on a case- or
// normalisation-insensitive file system (macOS, Windows): folded holds
// the lower-cased ASCII names, and nonASCII says some name is not ASCII
// (then absence is left to os.Stat).
type dirList struct {
	names    map[string]fs.FileMode
	folded   map[string]struct{}
	nonASCII bool
	// listed says Dir began this listing; entries are its entries in the
	// order AddEntry met them (a walk's: by name, as os.ReadDir sorts).
	listed  bool
	entries []fs.DirEntry
}

// NewListing returns an empty listing.
func NewListing() *Listing {
	wd, _ := os.Getwd()
	return &Listing{dirs: map[string]*dirList{}, wd: wd}
}

// Abs is filepath.Abs with the working directory the listing read; ok is
// false when it has none.
func (l *Listing) Abs(p string) (string, bool) {
	if filepath.IsAbs(p) {
		return filepath.Clean(p), true
	}
	if l.wd == "" {
		return "", false
	}
	return filepath.Join(l.wd, p), true
}

func (l *Listing) dir(dir string) *dirList {
	d := l.dirs[dir]
	if d == nil {
		d = &dirList{names: map[string]fs.FileMode{}, folded: map[string]struct{}{}}
		l.dirs[dir] = d
	}
	return d
}

// Dir records that dir (absolute, clean) is being listed; its entries
// follow with Add.
func (l *Listing) Dir(dir string) {
	l.mu.Lock()
	l.dir(dir).listed = true
	l.mu.Unlock()
}

// Add records an entry of a listed directory with its type bits
// (fs.DirEntry.Type). A directory given some entries by Add is not
// answered by ReadDir.
func (l *Listing) Add(dir, name string, typ fs.FileMode) {
	l.mu.Lock()
	l.add(l.dir(dir), name, typ)
	l.mu.Unlock()
}

// AddEntry is Add with the entry itself, which ReadDir hands back.
func (l *Listing) AddEntry(dir string, e fs.DirEntry) {
	l.mu.Lock()
	d := l.dir(dir)
	d.entries = append(d.entries, e)
	l.add(d, e.Name(), e.Type())
	l.mu.Unlock()
}

func (l *Listing) add(d *dirList, name string, typ fs.FileMode) {
	d.names[name] = typ
	if isASCII(name) {
		d.folded[strings.ToLower(name)] = struct{}{}
	} else {
		d.nonASCII = true
	}
}

// ReadDir is os.ReadDir(dir), answered from the listing when a walk
// listed dir whole with AddEntry: a lint's build contexts nest (a
// repository's root context holds every other), and reading the same
// directories again was a twentieth of a lint's CPU. The entries are
// shared: the caller must not change the slice. An entry's Info still
// asks the file system.
func (l *Listing) ReadDir(dir string) ([]fs.DirEntry, error) {
	if l != nil {
		if a, ok := l.Abs(dir); ok {
			l.mu.RLock()
			d := l.dirs[a]
			l.mu.RUnlock()
			// Every name came with its entry, once: the slice is the
			// whole listing.
			if d != nil && d.listed && len(d.entries) == len(d.names) {
				return d.entries, nil
			}
		}
	}
	return os.ReadDir(dir)
}

// Forget marks dir as not known (its listing failed or was partial).
func (l *Listing) Forget(dir string) {
	l.mu.Lock()
	delete(l.dirs, dir)
	l.mu.Unlock()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lookup answers for a path: known is false when the listing cannot
// stand in for os.Stat; otherwise exists and isDir are what os.Stat would
// say.
func (l *Listing) lookup(p string) (exists, isDir, known bool) {
	if l == nil {
		return false, false, false
	}
	p, ok := l.Abs(p)
	if !ok {
		return false, false, false
	}
	name := filepath.Base(p)
	l.mu.RLock()
	defer l.mu.RUnlock()
	d := l.dirs[filepath.Dir(p)]
	if d == nil {
		return false, false, false
	}
	typ, present := d.names[name]
	switch {
	case !present:
		// Absent, unless the file system could take another entry for
		// this name.
		if d.nonASCII || !isASCII(name) {
			return false, false, false
		}
		if _, ok := d.folded[strings.ToLower(name)]; ok {
			return false, false, false
		}
		return false, false, true
	case typ.IsDir():
		return true, true, true
	case typ.IsRegular():
		return true, false, true
	}
	return false, false, false
}

// Stat answers what os.Stat(p) would say of p's existence and kind,
// from the listing when it can, else from the file system.
func (l *Listing) Stat(p string) (exists, isDir bool) {
	if exists, isDir, known := l.lookup(p); known {
		return exists, isDir
	}
	st, err := os.Stat(p)
	if err != nil {
		return false, false
	}
	return true, st.IsDir()
}

// fileExists is os.Stat(p) succeeding on something that is not a
// directory.
func (l *Listing) fileExists(p string) bool {
	exists, isDir := l.Stat(p)
	return exists && !isDir
}

// Known says what os.Stat(p) would of p's existence and kind, and whether
// the listing can tell (known false: ask the file system).
func (l *Listing) Known(p string) (exists, isDir, known bool) { return l.lookup(p) }

// Regular is os.Stat(p) succeeding on a regular file.
func (l *Listing) Regular(p string) bool {
	if exists, isDir, known := l.lookup(p); known {
		return exists && !isDir
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

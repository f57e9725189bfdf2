package config

import (
	"io/fs"
	"os"
	"path/filepath"
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
	dirs map[string]map[string]fs.FileMode // absolute directory -> name -> type bits
	// wd makes relative paths absolute, as filepath.Abs would; "" when
	// the working directory could not be read (then only absolute paths
	// are answered).
	wd string
}

// NewListing returns an empty listing.
func NewListing() *Listing {
	wd, _ := os.Getwd()
	return &Listing{dirs: map[string]map[string]fs.FileMode{}, wd: wd}
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

// Dir records that dir (absolute, clean) is being listed; its entries
// follow with Add.
func (l *Listing) Dir(dir string) {
	l.mu.Lock()
	if l.dirs[dir] == nil {
		l.dirs[dir] = map[string]fs.FileMode{}
	}
	l.mu.Unlock()
}

// Add records an entry of a listed directory with its type bits
// (fs.DirEntry.Type).
func (l *Listing) Add(dir, name string, typ fs.FileMode) {
	l.mu.Lock()
	m := l.dirs[dir]
	if m == nil {
		m = map[string]fs.FileMode{}
		l.dirs[dir] = m
	}
	m[name] = typ
	l.mu.Unlock()
}

// Forget marks dir as not known (its listing failed or was partial).
func (l *Listing) Forget(dir string) {
	l.mu.Lock()
	delete(l.dirs, dir)
	l.mu.Unlock()
}

// lookup answers for an absolute, clean path: known is false when the
// listing cannot stand in for os.Stat; otherwise exists and isDir are what
// os.Stat would say.
func (l *Listing) lookup(p string) (exists, isDir, known bool) {
	if l == nil {
		return false, false, false
	}
	p, ok := l.Abs(p)
	if !ok {
		return false, false, false
	}
	l.mu.RLock()
	m, ok := l.dirs[filepath.Dir(p)]
	var typ fs.FileMode
	var present bool
	if ok {
		typ, present = m[filepath.Base(p)]
	}
	l.mu.RUnlock()
	switch {
	case !ok:
		return false, false, false
	case !present:
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

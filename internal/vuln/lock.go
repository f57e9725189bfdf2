package vuln

import (
	"fmt"
	"os"
)

// lockPath is the file an import holds an exclusive lock on for the whole
// import: beside the database, since the database file itself is replaced
// by a rename when the import commits.
func lockPath(db string) string { return db + ".lock" }

// importLock is an exclusive, process-wide lock on one database's imports.
// A second import of the same database waits for the first to commit or
// abort, then copies what it wrote and applies its own import on top, so
// both land (docs/contract.md). The operating system releases the lock
// when a process dies, so a killed import never leaves the database locked.
type importLock struct{ f *os.File }

// lockImports waits for the database's import lock.
func lockImports(db string) (*importLock, error) {
	f, err := os.OpenFile(lockPath(db), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", db, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", db, err)
	}
	return &importLock{f: f}, nil
}

// unlock releases the lock; the lock file stays for the next import.
func (l *importLock) unlock() {
	if l == nil || l.f == nil {
		return
	}
	unlockFile(l.f)
	l.f.Close()
	l.f = nil
}

package fleettest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// VulnBuilt is when the databases VulnDB imports were built: a fixed
// time, so that what the tests match does not depend on the day they run.
var VulnBuilt = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// vulnDBs holds the databases VulnDB imported, one per distinct list of
// files, in one temporary directory that Main removes: importing the
// shared advisory data takes seconds, so a test binary does it once.
var vulnDBs struct {
	mu  sync.Mutex
	dir string
	dbs map[string]*vulnDBEntry
}

type vulnDBEntry struct {
	once sync.Once
	path string
	err  error
}

// VulnDB returns the path of a vulnerability database imported from
// files (secdb JSON, OSV zips, OVAL; as `shipshape db import` takes
// them), built at VulnBuilt. The database is made once per distinct list
// of files in a test binary and shared: tests must only read it.
func VulnDB(t testing.TB, files ...string) string {
	t.Helper()
	key := strings.Join(files, "\x00")
	vulnDBs.mu.Lock()
	if vulnDBs.dbs == nil {
		vulnDBs.dbs = make(map[string]*vulnDBEntry)
	}
	e := vulnDBs.dbs[key]
	if e == nil {
		e = &vulnDBEntry{}
		vulnDBs.dbs[key] = e
	}
	vulnDBs.mu.Unlock()
	e.once.Do(func() {
		dir, err := vulnDBDir()
		if err != nil {
			e.err = err
			return
		}
		f, err := os.CreateTemp(dir, "vuln-*.db")
		if err != nil {
			e.err = fmt.Errorf("vulnerability database: %w", err)
			return
		}
		f.Close()
		os.Remove(f.Name())
		e.path = f.Name()
		e.err = WriteVulnDB(e.path, VulnBuilt, files...)
	})
	if e.err != nil {
		t.Fatal(e.err)
	}
	return e.path
}

// vulnDBDir makes, on first use, the directory VulnDB's databases live in.
func vulnDBDir() (string, error) {
	vulnDBs.mu.Lock()
	defer vulnDBs.mu.Unlock()
	if vulnDBs.dir == "" {
		dir, err := os.MkdirTemp("", "shipshape-fleettest-vuln-")
		if err != nil {
			return "", fmt.Errorf("vulnerability database directory: %w", err)
		}
		vulnDBs.dir = dir
	}
	return vulnDBs.dir, nil
}

// removeVulnDBs removes what VulnDB made; Main calls it.
func removeVulnDBs() {
	vulnDBs.mu.Lock()
	defer vulnDBs.mu.Unlock()
	if vulnDBs.dir != "" {
		os.RemoveAll(vulnDBs.dir)
	}
}

// WriteVulnDB creates the vulnerability database at path from files,
// each imported as its own source, built at built. It is VulnDB without
// the sharing, for tests that rebuild or change their database.
func WriteVulnDB(path string, built time.Time, files ...string) error {
	w, err := vuln.Create(path)
	if err != nil {
		return fmt.Errorf("create vulnerability database %s: %w", path, err)
	}
	for _, p := range files {
		if _, err := vuln.Import(w, p, p, built); err != nil {
			w.Abort()
			return fmt.Errorf("import %s: %w", p, err)
		}
	}
	if err := w.Commit(built); err != nil {
		return fmt.Errorf("commit vulnerability database %s: %w", path, err)
	}
	return nil
}

// UpdateVulnDB rebuilds the database at path as `shipshape db update`
// would: a new build at built in which the source named source (from
// origin) holds exactly advs, replacing what that source held before;
// the other sources are kept. Tests use it to publish an advisory and
// watch the fleet re-match.
func UpdateVulnDB(path string, built time.Time, source, origin string, advs ...vuln.Advisory) error {
	w, err := vuln.Create(path)
	if err != nil {
		return fmt.Errorf("update vulnerability database %s: %w", path, err)
	}
	if err := w.BeginSource(source); err != nil {
		w.Abort()
		return fmt.Errorf("begin source %s: %w", source, err)
	}
	for _, a := range advs {
		if err := w.Add(a); err != nil {
			w.Abort()
			return fmt.Errorf("add %s: %w", a.ID, err)
		}
	}
	if _, err := w.EndSource(origin, built); err != nil {
		w.Abort()
		return fmt.Errorf("end source %s: %w", source, err)
	}
	if err := w.Commit(built); err != nil {
		return fmt.Errorf("commit vulnerability database %s: %w", path, err)
	}
	return nil
}

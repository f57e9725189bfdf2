package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

func TestMain(m *testing.M) {
	code := fleettest.Main(m)
	if vulnPath != "" {
		os.RemoveAll(filepath.Dir(vulnPath))
	}
	os.Exit(code)
}

// backends runs f against a fresh SQLite database and a fresh PostgreSQL
// database: both backends run the same tests.
func backends(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "fleet.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, fleettest.PostgresURL(t)) })
}

func openStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// digestOf makes a well-formed digest from a name.
func digestOf(name string) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(name)))
}

var catalogCache sync.Map

// catalogDir catalogues a root filesystem directory the way `shipshape
// sbom dir:` does.

var (
	vulnOnce sync.Once
	vulnPath string
	vulnErr  error
)

// vulnDB returns a vulnerability database imported from the shared data:
// Alpine secdb v3.10 and v3.11 (main) and the PyPI OSV records.
func vulnDB(t testing.TB) *vuln.DB {
	t.Helper()
	data := filepath.Join(corpus.Shared(t), "data")
	vulnOnce.Do(func() {
		dir, err := os.MkdirTemp("", "shipshape-fleet-vuln-")
		if err != nil {
			vulnErr = err
			return
		}
		vulnPath = filepath.Join(dir, "vuln.db")
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		w, err := vuln.Create(vulnPath)
		if err != nil {
			vulnErr = err
			return
		}
		for _, p := range []string{
			filepath.Join(data, "alpine", "secdb", "v3.10", "main.json"),
			filepath.Join(data, "alpine", "secdb", "v3.11", "main.json"),
			filepath.Join(data, "osv", "PyPI.zip"),
		} {
			if _, err := vuln.Import(w, p, p, now); err != nil {
				w.Abort()
				vulnErr = fmt.Errorf("import %s: %w", p, err)
				return
			}
		}
		vulnErr = w.Commit(now)
	})
	if vulnErr != nil {
		t.Fatal(vulnErr)
	}
	db, err := vuln.Open(vulnPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

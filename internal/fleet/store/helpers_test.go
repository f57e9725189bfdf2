package store_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

func TestMain(m *testing.M) {
	os.Exit(fleettest.Main(m))
}

// digestOf makes a well-formed digest from a name.
func digestOf(name string) string {
	return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(name)))
}

// vulnDB returns a vulnerability database imported from the shared data:
// Alpine secdb v3.10 and v3.11 (main) and the PyPI OSV records.
func vulnDB(t testing.TB) *vuln.DB {
	t.Helper()
	data := filepath.Join(corpus.Shared(t), "data")
	vulnPath := fleettest.VulnDB(t, filepath.Join(data, "alpine", "secdb", "v3.10", "main.json"),
		filepath.Join(data, "alpine", "secdb", "v3.11", "main.json"), filepath.Join(data, "osv", "PyPI.zip"))
	db, err := vuln.Open(vulnPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

package server_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

func TestMain(m *testing.M) {
	os.Exit(fleettest.Main(m))
}

func digestOf(name string) string { return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(name))) }

// vulnDBPath returns the database of Alpine secdb v3.10/v3.11 and the
// PyPI OSV records from the shared data.
func vulnDBPath(t testing.TB) string {
	t.Helper()
	data := filepath.Join(corpus.Shared(t), "data")
	return fleettest.VulnDB(t, filepath.Join(data, "alpine", "secdb", "v3.10", "main.json"),
		filepath.Join(data, "alpine", "secdb", "v3.11", "main.json"), filepath.Join(data, "osv", "PyPI.zip"))
}

func encodeAs(t *testing.T, format string, s *sbom.SBOM) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := encode.Write(&b, format, s, encode.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

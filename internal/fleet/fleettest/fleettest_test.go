package fleettest_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

func TestMain(m *testing.M) {
	os.Exit(fleettest.Main(m))
}

// TestVulnDB: the same files give the same database (imported once), other
// files another; the database opens.
func TestVulnDB(t *testing.T) {
	secdb := filepath.Join(corpus.Shared(t), "data", "alpine", "secdb")
	a310, a311 := filepath.Join(secdb, "v3.10", "main.json"), filepath.Join(secdb, "v3.11", "main.json")
	p := fleettest.VulnDB(t, a310)
	if q := fleettest.VulnDB(t, a310); q != p {
		t.Errorf("same files, two databases: %s and %s", p, q)
	}
	if q := fleettest.VulnDB(t, a310, a311); q == p {
		t.Errorf("other files, the same database %s", p)
	}
	db, err := vuln.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
}

// TestStartServer: the server answers on its URL and Stop may be called
// twice.
func TestStartServer(t *testing.T) {
	s := fleettest.StartServer(t, filepath.Join(t.TempDir(), "fleet.db"), server.Options{})
	if code, body := s.Do(t, "GET", "/healthz", "", nil); code != http.StatusOK {
		t.Fatalf("healthz: %d %s", code, body)
	}
	if s.Admin == "" || s.Ingest == "" || s.Read == "" {
		t.Error("missing token")
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}

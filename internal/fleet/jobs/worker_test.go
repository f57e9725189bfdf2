package jobs_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
)

// TestSeparateWorker: on PostgreSQL, a server started with --no-workers
// only queues jobs; a separate `shipshape worker` process does them: the
// uploaded SBOM stays unmatched and the queued scan waits until the
// worker runs, then both are done within seconds.
func TestSeparateWorker(t *testing.T) {
	dsn := fleettest.PostgresURL(t)
	vdb := filepath.Join(t.TempDir(), "vuln.db")
	alpineDB(t, vdb, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	f := start(t, dsn, server.Options{VulnDB: vdb, NoWorkers: true, MatchInterval: time.Hour})
	edge := digestOf("edge")
	if code, body := f.Do(t, "POST", "/api/v1/sboms?image=shop/edge:3.10&digest="+edge, f.Ingest, encodeCDX(t, fleettest.CatalogDir(t, alpineRoot(t)))); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, body)
	}
	if code, body := f.Do(t, "GET", "/readyz", "", nil); code != http.StatusOK {
		t.Errorf("readyz without workers: %d %s", code, body)
	}
	host, digest := pushAlpine(t)
	code, job, body := f.scan(t, host+"/shop/edge:3.10")
	if code != http.StatusAccepted {
		t.Fatalf("scan: %d %s", code, body)
	}
	time.Sleep(time.Second)
	if got := f.affectedImages(t, "CVE-2020-1967"); len(got) != 0 {
		t.Fatalf("matched without a worker: %+v", got)
	}
	if st := f.waitJob(t, job.ID, func(jobs.Status) bool { return true }); st.State != "available" {
		t.Fatalf("scan job without a worker: %+v", st)
	}
	startWorker(t, "--database", dsn, "--vuln-db", vdb)
	began := time.Now()
	eventually(t, 90*time.Second, "the worker matched the upload", func() bool {
		for _, im := range f.affectedImages(t, "CVE-2020-1967") {
			if im.Digest == edge {
				return true
			}
		}
		return false
	})
	t.Logf("answered %s after the worker started", time.Since(began).Round(time.Millisecond))
	st := f.waitJob(t, job.ID, finished)
	var out jobs.ScanResult
	if st.State != "completed" || json.Unmarshal(st.Output, &out) != nil || out.Digest != digest {
		t.Fatalf("scan job done by the worker: %+v", st)
	}
	eventually(t, 90*time.Second, "the scanned image matched", func() bool {
		return len(f.affectedImages(t, "CVE-2020-1967")) == 2
	})
}

package jobs_test

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// pushAlpine serves a registry on loopback holding an image of the real
// Alpine 3.10 package database and release files, and returns the
// registry's host and the image's manifest digest.
func pushAlpine(t *testing.T) (host, digest string) {
	t.Helper()
	rs := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(rs.Close)
	host = strings.TrimPrefix(rs.URL, "http://")
	root := alpineRoot(t)
	var entries []imagetest.Entry
	for _, p := range []string{"etc/alpine-release", "etc/os-release", "lib/apk/db/installed"} {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, imagetest.File(p, string(b)))
	}
	img := imagetest.Build(t, imagetest.Image{Layers: []imagetest.Layer{{CreatedBy: "ADD rootfs /", Entries: entries}}})
	ref, err := name.ParseReference(host + "/shop/edge:3.10")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return host, d.String()
}

// waitJob polls GET /api/v1/jobs/{id} until the job reaches a final
// state or has failed attempts.
func (f *fleet) waitJob(t *testing.T, id int64, done func(jobs.Status) bool) jobs.Status {
	t.Helper()
	var st jobs.Status
	eventually(t, 60*time.Second, "job finished", func() bool {
		code, body := f.Do(t, "GET", "/api/v1/jobs/"+itoa(id), f.Read, nil)
		if code != http.StatusOK {
			t.Fatalf("job %d: %d %s", id, code, body)
		}
		if err := json.Unmarshal(body, &st); err != nil {
			t.Fatal(err)
		}
		return done(st)
	})
	return st
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func finished(st jobs.Status) bool {
	return st.State == "completed" || st.State == "discarded" || st.State == "cancelled"
}

func (f *fleet) scan(t *testing.T, ref string) (int, jobs.Status, []byte) {
	t.Helper()
	code, body := f.Do(t, "POST", "/api/v1/images", f.Ingest, mustJSON(t, server.ScanRequest{Ref: ref}))
	var q server.ScanQueued
	if code == http.StatusAccepted {
		if err := json.Unmarshal(body, &q); err != nil || q.JobID == 0 {
			t.Fatalf("scan answer %s: %v", body, err)
		}
	}
	return code, jobs.Status{ID: q.JobID}, body
}

// TestScanImage: POST /api/v1/images queues a scan that reads the image
// from a registry, ingests its SBOM and matches it; paths are refused; a
// missing image fails the job with its error, retried.
func TestScanImage(t *testing.T) {
	host, digest := pushAlpine(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		vdb := filepath.Join(t.TempDir(), "vuln.db")
		alpineDB(t, vdb, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		f := start(t, dsn, server.Options{VulnDB: vdb, MatchInterval: time.Hour})

		code, job, body := f.scan(t, host+"/shop/edge:3.10")
		if code != http.StatusAccepted {
			t.Fatalf("scan: %d %s", code, body)
		}
		st := f.waitJob(t, job.ID, finished)
		var out jobs.ScanResult
		if st.State != "completed" || st.Kind != "fleet_scan" || json.Unmarshal(st.Output, &out) != nil {
			t.Fatalf("scan job %+v", st)
		}
		if out.Digest != digest || out.Packages != 14 || out.ImageID == 0 {
			t.Errorf("scan output %+v, want digest %s and 14 packages", out, digest)
		}
		code, body = f.Do(t, "GET", "/api/v1/images/"+digest, f.Read, nil)
		var im store.ImageDetail
		if code != http.StatusOK || json.Unmarshal(body, &im) != nil || len(im.Packages) != 14 || len(im.Refs) != 1 || im.Refs[0] != host+"/shop/edge:3.10" {
			t.Errorf("scanned image: %d %s", code, body)
		}
		eventually(t, 90*time.Second, "the scanned image matched", func() bool {
			got := f.affectedImages(t, "CVE-2020-1967")
			return len(got) == 1 && got[0].Digest == digest
		})

		// Refused before queueing: paths and what is no reference.
		for _, ref := range []string{"dir:/etc", "/etc", "./rootfs", "oci:/var/lib/images", "docker-archive:/tmp/x.tar", "", "UPPER/Case:tag"} {
			if code, body := f.Do(t, "POST", "/api/v1/images", f.Ingest, mustJSON(t, server.ScanRequest{Ref: ref})); code != http.StatusBadRequest {
				t.Errorf("scan %q: %d %s, want 400", ref, code, body)
			}
		}
		if code, _ := f.Do(t, "POST", "/api/v1/images", f.Read, mustJSON(t, server.ScanRequest{Ref: host + "/shop/edge:3.10"})); code != http.StatusForbidden {
			t.Errorf("scan with a read token: %d", code)
		}
		if code, _ := f.Do(t, "GET", "/api/v1/jobs/999999", f.Read, nil); code != http.StatusNotFound {
			t.Errorf("unknown job: %d", code)
		}

		// A missing image: the job fails, is retried, and says why.
		code, job, body = f.scan(t, host+"/shop/missing:1")
		if code != http.StatusAccepted {
			t.Fatalf("scan missing: %d %s", code, body)
		}
		st = f.waitJob(t, job.ID, func(s jobs.Status) bool { return len(s.Errors) >= 2 })
		if st.State == "completed" || !strings.Contains(st.Errors[0], "shop/missing") {
			t.Errorf("missing image job %+v", st)
		}
	})
}

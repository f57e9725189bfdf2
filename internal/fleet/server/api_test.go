package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// TestAPI drives the real server over loopback with net/http: SBOM
// uploads in the three formats shipshape writes, matching in the
// background, container records, the headline query, package and image
// lookups, and the audit log.
func TestAPI(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	a310 := fleettest.CatalogDir(t, filepath.Join(data, "alpine", "alpine-310-metadata"))
	a311 := fleettest.CatalogDir(t, filepath.Join(data, "alpine", "alpine-311-metadata"))
	bookworm := fleettest.CatalogDir(t, filepath.Join(data, "debian", "rootfs-fixtures", "bookworm"))
	vdb := vulnDBPath(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		f := fleettest.StartServer(t, dsn, server.Options{VulnDB: vdb, MatchInterval: time.Hour})
		uploads := []struct {
			ref, digest, format string
			body                []byte
		}{
			{"alpine:3.10.4", digestOf("a310"), encode.CycloneDXJSON, encodeAs(t, encode.CycloneDXJSON, a310)},
			{"alpine:3.11.5", digestOf("a311"), encode.SPDXJSON, encodeAs(t, encode.SPDXJSON, a311)},
			{"debian:bookworm", digestOf("bookworm"), encode.CycloneDXXML, encodeAs(t, encode.CycloneDXXML, bookworm)},
		}
		for _, u := range uploads {
			code, body := f.Do(t, "POST", "/api/v1/sboms?image="+url.QueryEscape(u.ref)+"&digest="+u.digest, f.Ingest, u.body)
			if code != http.StatusCreated {
				t.Fatalf("%s (%s): %d %s", u.ref, u.format, code, body)
			}
			var res server.Ingested
			if err := json.Unmarshal(body, &res); err != nil || res.ImageID == 0 || res.Digest != u.digest || res.Packages == 0 {
				t.Fatalf("%s: %s %v", u.ref, body, err)
			}
		}
		code, body := f.Do(t, "POST", "/api/v1/containers", f.Ingest, []byte(`{"containers": [
			{"host": "web-1", "containerId": "c1", "name": "api", "imageDigest": "`+digestOf("a310")+`", "composeProject": "shop", "composeService": "api", "started": 100},
			{"host": "web-1", "containerId": "c0", "name": "gone", "imageDigest": "`+digestOf("a310")+`", "started": 10, "stopped": 20}]}`))
		if code != http.StatusOK {
			t.Fatalf("containers: %d %s", code, body)
		}
		// Matching runs after the upload answered; the query sees it
		// within seconds.
		var aff store.Affected
		deadline := time.Now().Add(20 * time.Second)
		for {
			code, body = f.Do(t, "GET", "/api/v1/vulnerabilities/CVE-2020-1967/affected", f.Read, nil)
			if code != http.StatusOK {
				t.Fatalf("affected: %d %s", code, body)
			}
			if err := json.Unmarshal(body, &aff); err != nil {
				t.Fatal(err)
			}
			if len(aff.Images) == 2 || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if len(aff.Images) != 2 || aff.Images[0].Digest != digestOf("a310") || aff.Images[1].Digest != digestOf("a311") {
			t.Fatalf("affected images: %s", body)
		}
		first := aff.Images[0]
		if len(first.Containers) != 1 || first.Containers[0].Name != "api" || first.Containers[0].ComposeService != "api" {
			t.Errorf("running containers of %s: %+v", first.Digest, first.Containers)
		}
		if len(first.Packages) != 2 || first.Packages[0].Name != "libcrypto1.1" || first.Packages[0].Version != "1.1.1d-r2" ||
			first.Packages[0].FixedVersion != "1.1.1g-r0" || first.Packages[0].Path != "/lib/apk/db/installed" {
			t.Errorf("affected packages of %s: %+v", first.Digest, first.Packages)
		}
		if aff.Images[1].Refs[0] != "alpine:3.11.5" || len(aff.Images[1].Containers) != 0 {
			t.Errorf("second image: %+v", aff.Images[1])
		}
		// Package search with an apk version range.
		code, body = f.Do(t, "GET", "/api/v1/packages?name=libssl1.1&versions="+url.QueryEscape("<1.1.1d-r3"), f.Read, nil)
		if code != http.StatusOK || !strings.Contains(body2s(body), digestOf("a310")) || strings.Contains(body2s(body), digestOf("a311")) {
			t.Errorf("packages libssl1.1 <1.1.1d-r3: %d %s", code, body)
		}
		// Image detail.
		code, body = f.Do(t, "GET", "/api/v1/images/"+digestOf("bookworm"), f.Read, nil)
		var d store.ImageDetail
		if code != http.StatusOK || json.Unmarshal(body, &d) != nil || len(d.Packages) != len(bookworm.Packages) || d.Refs[0] != "debian:bookworm" {
			t.Errorf("image detail: %d %.300s", code, body)
		}
		code, _ = f.Do(t, "GET", "/api/v1/images/"+digestOf("nothing"), f.Read, nil)
		if code != http.StatusNotFound {
			t.Errorf("unknown image: %d", code)
		}
		// Health, readiness, metrics.
		if code, body = f.Do(t, "GET", "/healthz", "", nil); code != http.StatusOK {
			t.Errorf("healthz: %d %s", code, body)
		}
		if code, body = f.Do(t, "GET", "/readyz", "", nil); code != http.StatusOK {
			t.Errorf("readyz: %d %s", code, body)
		}
		code, body = f.Do(t, "GET", "/metrics", f.Read, nil)
		if code != http.StatusOK || !strings.Contains(body2s(body), "shipshape_sboms_ingested_total 3") ||
			!strings.Contains(body2s(body), `shipshape_http_requests_total{code="201",route="sboms"} 3`) {
			t.Errorf("metrics: %d %.2000s", code, body)
		}
		// Audit log: the writes, with the token that made them.
		code, body = f.Do(t, "GET", "/api/v1/audit", f.Admin, nil)
		if code != http.StatusOK || strings.Count(body2s(body), `"token": "ingest-test"`) != 4 || !strings.Contains(body2s(body), `"status": 201`) {
			t.Errorf("audit: %d %s", code, body)
		}
		// An upload's entry is written with the image it stored, with
		// what was stored.
		var log struct{ Entries []store.AuditEntry }
		if err := json.Unmarshal(body, &log); err != nil {
			t.Fatal(err)
		}
		for _, u := range uploads {
			found := false
			for _, e := range log.Entries {
				if e.Method == "POST" && e.Status == http.StatusCreated && strings.HasPrefix(e.Path, "/api/v1/sboms?image=") &&
					strings.HasPrefix(e.Detail, u.digest+" ") && strings.HasSuffix(e.Detail, " packages") && e.Detail != u.digest+" 0 packages" {
					found = true
				}
			}
			if !found {
				t.Errorf("no audit entry of the upload of %s: %+v", u.digest, log.Entries)
			}
		}
		if err := f.Stop(); err != nil {
			t.Errorf("graceful shutdown: %v", err)
		}
	})
}

func body2s(b []byte) string { return string(b) }

// TestAuthAndValidation: no request without a token, scopes enforced,
// clear 4xx for what cannot be stored; refused writes are audited too.
func TestAuthAndValidation(t *testing.T) {
	f := fleettest.StartServer(t, filepath.Join(t.TempDir(), "fleet.db"), server.Options{MaxBody: 64 << 10})
	good := []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
		{"type": "library", "name": "jinja2", "version": "2.11.2", "purl": "pkg:pypi/jinja2@2.11.2"}]}`)
	sb := "/api/v1/sboms?digest=" + digestOf("x")
	cases := []struct {
		name, method, path, token string
		body                      []byte
		code                      int
		msg                       string
	}{
		{"no token", "POST", sb, "", good, 401, "bearer token is required"},
		{"unknown token", "POST", sb, "sst_not-a-real-token-at-all", good, 401, "unknown token"},
		{"read token writes", "POST", sb, f.Read, good, 403, "lacks the ingest scope"},
		{"ingest token reads", "GET", "/api/v1/vulnerabilities/CVE-2020-1967/affected", f.Ingest, nil, 403, "lacks the read scope"},
		{"read token audit", "GET", "/api/v1/audit", f.Read, nil, 403, "lacks the admin scope"},
		{"metrics without token", "GET", "/metrics", "", nil, 401, "bearer"},
		{"not an SBOM", "POST", sb, f.Ingest, []byte("hello"), 400, "invalid SBOM"},
		{"JSON but no SBOM", "POST", sb, f.Ingest, []byte(`{"a": 1}`), 400, "invalid SBOM"},
		{"broken CycloneDX", "POST", sb, f.Ingest, []byte(`{"bomFormat": "CycloneDX", "components": 7}`), 400, "CycloneDX JSON"},
		{"no digest", "POST", "/api/v1/sboms?image=x", f.Ingest, good, 400, "digest is required"},
		{"bad digest", "POST", "/api/v1/sboms?digest=sha256:1234", f.Ingest, good, 400, "not sha256"},
		{"too large", "POST", sb, f.Ingest, append(good[:len(good)-2], []byte(`, "x": "`+strings.Repeat("a", 70<<10)+`"}`)...), 413, "larger than"},
		{"bad containers", "POST", "/api/v1/containers", f.Ingest, []byte(`{"containers": [{"host": "h", "containerId": "c", "imageDigest": "latest"}]}`), 400, "imageDigest"},
		{"no containers", "POST", "/api/v1/containers", f.Ingest, []byte(`{"containers": []}`), 400, "container records"},
		{"bad limit", "GET", "/api/v1/vulnerabilities/CVE-1/affected?limit=0", f.Read, nil, 400, "limit"},
		{"bad range", "GET", "/api/v1/packages?name=x&versions=%3E%3D", f.Read, nil, 400, "names no version"},
		{"no name", "GET", "/api/v1/packages", f.Read, nil, 400, "name= is required"},
		{"unknown endpoint", "GET", "/api/v1/nothing", f.Read, nil, 404, "no such endpoint"},
		{"good", "POST", sb, f.Ingest, good, 201, `"imageId": 1`},
	}
	for _, c := range cases {
		code, body := f.Do(t, c.method, c.path, c.token, c.body)
		if code != c.code || !strings.Contains(string(body), c.msg) {
			t.Errorf("%s: %d %s; want %d %q", c.name, code, body, c.code, c.msg)
		}
	}
	code, body := f.Do(t, "GET", "/api/v1/audit", f.Admin, nil)
	var audit struct{ Entries []store.AuditEntry }
	if code != 200 || json.Unmarshal(body, &audit) != nil {
		t.Fatalf("audit: %d %s", code, body)
	}
	statuses := map[int]int{}
	for _, e := range audit.Entries {
		statuses[e.Status]++
	}
	// Every POST above is a write attempt: 3 refused by auth, 9 invalid, 1 stored.
	if statuses[401] != 2 || statuses[403] != 1 || statuses[400] != 7 || statuses[413] != 1 || statuses[201] != 1 {
		t.Errorf("audit statuses %v", statuses)
	}
	// Without a vulnerability database the server is alive but says it
	// does not match.
	if code, body := f.Do(t, "GET", "/readyz", "", nil); code != 200 || !strings.Contains(string(body), "none configured") {
		t.Errorf("readyz: %d %s", code, body)
	}
}

// TestConcurrentUploads: uploads from many clients at once go through
// group commit; every one is answered 201 and stored whole.
func TestConcurrentUploads(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	bookworm := fleettest.CatalogDir(t, filepath.Join(data, "debian", "rootfs-fixtures", "bookworm-plus"))
	doc := encodeAs(t, encode.CycloneDXJSON, bookworm)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		f := fleettest.StartServer(t, dsn, server.Options{})
		errs := make(chan string, 80)
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					d := digestOf(fmt.Sprint("up", w, i))
					code, body := f.Do(t, "POST", "/api/v1/sboms?image=app:"+fmt.Sprintf("%d-%d", w, i)+"&digest="+d, f.Ingest, doc)
					if code != http.StatusCreated {
						errs <- fmt.Sprintf("%d %s", code, body)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		for w := 0; w < 8; w++ {
			code, body := f.Do(t, "GET", "/api/v1/images/"+digestOf(fmt.Sprint("up", w, 9)), f.Read, nil)
			var d store.ImageDetail
			if code != 200 || json.Unmarshal(body, &d) != nil || len(d.Packages) != len(bookworm.Packages) {
				t.Errorf("image %d: %d, %d packages", w, code, len(d.Packages))
			}
		}
	})
}

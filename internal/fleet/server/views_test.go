package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// TestViewsAPI drives the endpoints added for triage and the query views
// over loopback on both backends: findings upload, OpenVEX triage (admin
// only, validated, applied to the affected answer), diff, base images,
// top vulnerabilities, image and tag history, counts.
func TestViewsAPI(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data")
	a310 := fleettest.CatalogDir(t, filepath.Join(data, "alpine", "alpine-310-metadata"))
	a311 := fleettest.CatalogDir(t, filepath.Join(data, "alpine", "alpine-311-metadata"))
	vdb := vulnDBPath(t)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		f := fleettest.StartServer(t, dsn, server.Options{VulnDB: vdb, MatchInterval: time.Hour})
		base := digestOf("alpine-base")
		for _, u := range []struct{ q, name string }{
			{"image=alpine:3&digest=" + base, "a311"},
			{"image=shop/api:1&digest=" + digestOf("api1") + "&base=alpine:3&baseDigest=" + base, "a310"},
			{"image=shop/api:2&digest=" + digestOf("api2") + "&base=alpine:3&baseDigest=" + base, "a311"},
		} {
			doc := encodeAs(t, encode.CycloneDXJSON, a310)
			if u.name == "a311" {
				doc = encodeAs(t, encode.CycloneDXJSON, a311)
			}
			if code, body := f.Do(t, "POST", "/api/v1/sboms?"+u.q, f.Ingest, doc); code != http.StatusCreated {
				t.Fatalf("%s: %d %s", u.q, code, body)
			}
		}
		if code, body := f.Do(t, "POST", "/api/v1/sboms?digest="+digestOf("x")+"&baseDigest=latest", f.Ingest, encodeAs(t, encode.CycloneDXJSON, a310)); code != 400 || !strings.Contains(string(body), "baseDigest") {
			t.Errorf("bad base digest: %d %s", code, body)
		}
		if code, body := f.Do(t, "POST", "/api/v1/containers", f.Ingest, []byte(`{"containers": [
			{"host": "h1", "containerId": "c1", "name": "api", "imageDigest": "`+digestOf("api1")+`"},
			{"host": "h2", "containerId": "c2", "name": "api", "imageDigest": "`+digestOf("api1")+`"},
			{"host": "h3", "containerId": "c3", "name": "api", "imageDigest": "`+digestOf("api2")+`"}]}`)); code != 200 {
			t.Fatalf("containers: %d %s", code, body)
		}
		if _, err := f.Srv.MatchOnce(t.Context()); err != nil {
			t.Fatal(err)
		}

		// Findings: stored for a known image, 404 for an unknown one, 400
		// for a broken record; readable back.
		findings := `{"findings": [{"fingerprint": "fp1", "ruleId": "IM1001", "severity": "medium", "title": "Image runs as root", "message": "no USER"}]}`
		if code, body := f.Do(t, "POST", "/api/v1/images/"+digestOf("api1")+"/findings", f.Ingest, []byte(findings)); code != 200 {
			t.Errorf("findings: %d %s", code, body)
		}
		if code, _ := f.Do(t, "POST", "/api/v1/images/"+digestOf("nothing")+"/findings", f.Ingest, []byte(findings)); code != 404 {
			t.Errorf("findings of an unknown image: %d", code)
		}
		if code, _ := f.Do(t, "POST", "/api/v1/images/"+digestOf("api1")+"/findings", f.Ingest, []byte(`{"findings": [{"ruleId": "IM1001"}]}`)); code != 400 {
			t.Errorf("finding without fingerprint: %d", code)
		}
		if code, _ := f.Do(t, "POST", "/api/v1/images/"+digestOf("api1")+"/findings", f.Read, []byte(findings)); code != 403 {
			t.Errorf("findings with a read token: %d", code)
		}
		if code, body := f.Do(t, "GET", "/api/v1/images/"+digestOf("api1")+"/findings", f.Read, nil); code != 200 || !strings.Contains(string(body), `"fingerprint": "fp1"`) {
			t.Errorf("read findings: %d %s", code, body)
		}

		// Top vulnerabilities: CVE-2020-1967 hits all three containers.
		var top struct{ Vulnerabilities []store.RankedAdvisory }
		code, body := f.Do(t, "GET", "/api/v1/vulnerabilities/top?limit=1000", f.Read, nil)
		if code != 200 || json.Unmarshal(body, &top) != nil {
			t.Fatalf("top: %d %s", code, body)
		}
		found := false
		for _, e := range top.Vulnerabilities {
			if e.ID == "CVE-2020-1967" {
				found = e.RunningContainers == 3 && e.RunningImages == 2
			}
		}
		if !found || top.Vulnerabilities[0].RunningContainers != 3 {
			t.Errorf("top: %.600s", body)
		}
		if code, _ := f.Do(t, "GET", "/api/v1/vulnerabilities/top?limit=0", f.Read, nil); code != 400 {
			t.Errorf("top limit 0: %d", code)
		}

		// OpenVEX: admin only, validated, then applied.
		vexDoc := `{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "sec team",
			"timestamp": "2026-12-01T10:00:00Z", "version": 1, "statements": [{"vulnerability": {"name": "CVE-2020-1967"},
			"products": [{"@id": "` + digestOf("api1") + `"}], "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}`
		if code, _ := f.Do(t, "POST", "/api/v1/vex", f.Ingest, []byte(vexDoc)); code != 403 {
			t.Errorf("VEX with an ingest token: %d", code)
		}
		if code, body := f.Do(t, "POST", "/api/v1/vex", f.Admin, []byte(`{"statements": []}`)); code != 400 || !strings.Contains(string(body), "invalid OpenVEX") {
			t.Errorf("empty VEX: %d %s", code, body)
		}
		if code, body := f.Do(t, "POST", "/api/v1/vex", f.Admin, []byte(vexDoc)); code != 201 || !strings.Contains(string(body), `"stored": 1`) {
			t.Fatalf("VEX: %d %s", code, body)
		}
		var aff store.Affected
		code, body = f.Do(t, "GET", "/api/v1/vulnerabilities/cve-2020-1967/affected", f.Read, nil)
		if code != 200 || json.Unmarshal(body, &aff) != nil {
			t.Fatalf("affected: %d %s", code, body)
		}
		if len(aff.Suppressed) != 1 || aff.Suppressed[0].Digest != digestOf("api1") || aff.Suppressed[0].Packages[0].VEX.Justification != "vulnerable_code_not_in_execute_path" {
			t.Errorf("suppressed: %+v", aff.Suppressed)
		}
		for _, im := range aff.Images {
			if im.Digest == digestOf("api1") {
				t.Errorf("the triaged image is still listed as affected")
			}
		}
		if code, body := f.Do(t, "GET", "/api/v1/vex?advisory=CVE-2020-1967", f.Read, nil); code != 200 || !strings.Contains(string(body), `"author": "sec team"`) {
			t.Errorf("list VEX: %d %s", code, body)
		}

		// Diff, base images, history, counts.
		var d store.ImageDiff
		code, body = f.Do(t, "GET", "/api/v1/diff?from="+digestOf("api1")+"&to="+digestOf("api2"), f.Read, nil)
		if code != 200 || json.Unmarshal(body, &d) != nil || len(d.Packages.Changed) == 0 || len(d.Findings.Removed) != 1 {
			t.Errorf("diff: %d %.400s", code, body)
		}
		if code, _ := f.Do(t, "GET", "/api/v1/diff?from="+digestOf("api1")+"&to="+digestOf("nothing"), f.Read, nil); code != 404 {
			t.Errorf("diff with an unknown image: %d", code)
		}
		if code, _ := f.Do(t, "GET", "/api/v1/diff?from=x", f.Read, nil); code != 400 {
			t.Errorf("diff without digests: %d", code)
		}
		var bases struct{ BaseImages []store.BaseImage }
		code, body = f.Do(t, "GET", "/api/v1/base-images?name="+url.QueryEscape("alpine:3"), f.Read, nil)
		if code != 200 || json.Unmarshal(body, &bases) != nil || len(bases.BaseImages) != 1 || bases.BaseImages[0].Current != base ||
			bases.BaseImages[0].CurrentFrom != "pushed" || bases.BaseImages[0].Images != 2 {
			t.Errorf("base images: %d %s", code, body)
		}
		var h store.ImageHistory
		code, body = f.Do(t, "GET", "/api/v1/images/"+digestOf("api1")+"/history", f.Read, nil)
		if code != 200 || json.Unmarshal(body, &h) != nil || len(h.Refs) != 1 || h.Refs[0].Ref != "shop/api:1" || len(h.Containers) != 2 || h.BaseName != "alpine:3" {
			t.Errorf("history: %d %s", code, body)
		}
		if code, body := f.Do(t, "GET", "/api/v1/refs/history?ref="+url.QueryEscape("shop/api:2"), f.Read, nil); code != 200 || !strings.Contains(string(body), digestOf("api2")) {
			t.Errorf("tag history: %d %s", code, body)
		}
		var c store.Counts
		code, body = f.Do(t, "GET", "/api/v1/counts", f.Read, nil)
		if code != 200 || json.Unmarshal(body, &c) != nil || c.Images != 3 || c.RunningContainers != 3 || c.VEXStatements != 1 || c.Findings != 1 {
			t.Errorf("counts: %d %s", code, body)
		}
		if code, _ := f.Do(t, "GET", "/api/v1/counts", "", nil); code != 401 {
			t.Errorf("counts without a token: %d", code)
		}
	})
}

package jobs_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// receiver is a webhook endpoint that refuses its first request (503)
// and accepts the rest, keeping every body.
type receiver struct {
	mu        sync.Mutex
	requests  int
	refused   []jobs.Notification
	delivered []jobs.Notification
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var n jobs.Notification
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want a JSON POST", http.StatusBadRequest)
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.requests++
	if rc.requests == 1 {
		rc.refused = append(rc.refused, n)
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	rc.delivered = append(rc.delivered, n)
	w.WriteHeader(http.StatusNoContent)
}

// byAdvisory returns the delivered notifications of advisory id.
func (rc *receiver) byAdvisory(id string) []jobs.Notification {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []jobs.Notification
	for _, n := range rc.delivered {
		if n.Advisory.ID == id {
			out = append(out, n)
		}
	}
	return out
}

func (rc *receiver) count() (requests, delivered int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.requests, len(rc.delivered)
}

func containerIDs(cs []store.Container) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Host+"/"+c.ContainerID+"/"+c.Name)
	}
	sort.Strings(out)
	return out
}

// TestWebhook: running containers newly affected by an advisory raise
// one POST per (advisory, image) naming them, after an ingest, after a
// container report and after a database update; a refused delivery is
// retried; stopped containers and images without an SBOM raise none; and
// evaluating again never tells a container twice of one advisory.
func TestWebhook(t *testing.T) {
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		hook := &receiver{}
		hs := httptest.NewServer(hook)
		defer hs.Close()
		vdb := filepath.Join(t.TempDir(), "vuln.db")
		t1 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		alpineDB(t, vdb, t1)
		f := start(t, dsn, server.Options{VulnDB: vdb, Webhooks: []string{hs.URL}, MatchInterval: time.Hour})

		now := time.Now().Unix()
		edge := digestOf("edge")
		code, body := f.Do(t, "POST", "/api/v1/containers", f.Ingest, mustJSON(t, server.ContainerBatch{Containers: []store.Container{
			{Host: "h1", ContainerID: "c1", Name: "edge-1", ImageDigest: edge, ImageRef: "shop/edge:3.10", Started: now},
			{Host: "h1", ContainerID: "c2", Name: "edge-old", ImageDigest: edge, Started: now - 100, Stopped: now - 10},
			{Host: "h2", ContainerID: "c3", Name: "unknown", ImageDigest: digestOf("no sbom"), Started: now},
		}}))
		if code != http.StatusOK {
			t.Fatalf("containers: %d %s", code, body)
		}
		doc := encodeCDX(t, fleettest.CatalogDir(t, alpineRoot(t)))
		if code, body := f.Do(t, "POST", "/api/v1/sboms?image=shop/edge:3.10&digest="+edge, f.Ingest, doc); code != http.StatusCreated {
			t.Fatalf("upload: %d %s", code, body)
		}

		detail, err := f.Store.ImageByDigest(ctx, edge)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		eventually(t, 90*time.Second, "image matched", func() bool {
			detail, _ = f.Store.ImageByDigest(ctx, edge)
			return len(detail.Vulnerabilities) > 0
		})
		for _, v := range detail.Vulnerabilities {
			if v.FixState != "not-affected" && !slices.Contains(want, v.Advisory) {
				want = append(want, v.Advisory)
			}
		}
		if !slices.Contains(want, "CVE-2020-1967") {
			t.Fatalf("the image's advisories %v lack CVE-2020-1967", want)
		}
		eventually(t, 60*time.Second, "a notification per advisory", func() bool {
			_, n := hook.count()
			return n >= len(want)
		})

		hook.mu.Lock()
		refused := hook.refused
		hook.mu.Unlock()
		if len(refused) != 1 {
			t.Fatalf("%d refused deliveries", len(refused))
		}
		again := hook.byAdvisory(refused[0].Advisory.ID)
		if len(again) != 1 || again[0].Attempt != 2 || refused[0].Attempt != 1 {
			t.Errorf("refused %s (attempt %d) was delivered %d times after (attempt %v)", refused[0].Advisory.ID, refused[0].Attempt, len(again), again)
		}
		for _, id := range want {
			ns := hook.byAdvisory(id)
			if len(ns) != 1 {
				t.Errorf("%s: %d deliveries, want 1", id, len(ns))
				continue
			}
			n := ns[0]
			if n.Event != jobs.EventExposure || n.Image.Digest != edge || !slices.Contains(n.Image.Refs, "shop/edge:3.10") || n.Advisory.Severity == "" {
				t.Errorf("%s: body %+v", id, n)
			}
			// The stopped container and the one without an SBOM are not named.
			if got := containerIDs(n.Containers); !slices.Equal(got, []string{"h1/c1/edge-1"}) {
				t.Errorf("%s names containers %v", id, got)
			}
			if len(n.Packages) == 0 {
				t.Errorf("%s names no package", id)
			}
		}
		ssl := hook.byAdvisory("CVE-2020-1967")[0]
		var names []string
		for _, p := range ssl.Packages {
			names = append(names, p.Name)
			if p.FixedVersion != "1.1.1g-r0" || p.Version == "" || p.Advisory != "CVE-2020-1967" {
				t.Errorf("CVE-2020-1967 package %+v", p)
			}
		}
		if !slices.Equal(names, []string{"libcrypto1.1", "libssl1.1"}) {
			t.Errorf("CVE-2020-1967 packages %v", names)
		}

		// Evaluating again (a pass, the same containers reported, an
		// unchanged database build) tells no one twice.
		requests, _ := hook.count()
		if _, err := f.Srv.MatchOnce(ctx); err != nil {
			t.Fatal(err)
		}
		code, _ = f.Do(t, "POST", "/api/v1/containers", f.Ingest, mustJSON(t, server.ContainerBatch{Containers: []store.Container{
			{Host: "h1", ContainerID: "c1", Name: "edge-1", ImageDigest: edge, Started: now}}}))
		if code != http.StatusOK {
			t.Fatalf("containers again: %d", code)
		}
		update(t, vdb, t1.Add(time.Hour))
		if _, err := f.Srv.MatchOnce(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1500 * time.Millisecond)
		if r, _ := hook.count(); r != requests {
			t.Errorf("re-evaluation sent %d more requests", r-requests)
		}

		// A database update with a new openssl advisory: one POST for it.
		update(t, vdb, t1.Add(2*time.Hour), opensslAdvisory())
		// (A pass queued by the container report above may take the
		// update first; either way one notification follows.)
		if _, err := f.Srv.MatchOnce(ctx); err != nil {
			t.Fatal(err)
		}
		eventually(t, 90*time.Second, "the new advisory's notification", func() bool { return len(hook.byAdvisory(testAdvisory)) == 1 })
		n := hook.byAdvisory(testAdvisory)[0]
		if !slices.Contains(n.Advisory.Aliases, "CVE-2099-0001") || len(n.Packages) != 2 || n.Packages[0].FixedVersion != "9.9.9-r0" ||
			!slices.Equal(containerIDs(n.Containers), []string{"h1/c1/edge-1"}) {
			t.Errorf("new advisory body %+v", n)
		}

		// A container started later is told of every advisory, once,
		// and only it is named.
		code, _ = f.Do(t, "POST", "/api/v1/containers", f.Ingest, mustJSON(t, server.ContainerBatch{Containers: []store.Container{
			{Host: "h3", ContainerID: "c4", Name: "edge-2", ImageDigest: edge, Started: now}}}))
		if code != http.StatusOK {
			t.Fatalf("new container: %d", code)
		}
		eventually(t, 90*time.Second, "the new container's notifications", func() bool { return len(hook.byAdvisory("CVE-2020-1967")) == 2 })
		if got := containerIDs(hook.byAdvisory("CVE-2020-1967")[1].Containers); !slices.Equal(got, []string{"h3/c4/edge-2"}) {
			t.Errorf("the later notification names %v", got)
		}
		all := append(want, testAdvisory)
		eventually(t, 60*time.Second, "every advisory told to c4", func() bool {
			for _, id := range all {
				if len(hook.byAdvisory(id)) < 2 {
					return false
				}
			}
			return true
		})
		time.Sleep(time.Second)
		for _, id := range all {
			if n := len(hook.byAdvisory(id)); n != 2 {
				t.Errorf("%s: %d deliveries, want 2 (c1 and c4)", id, n)
			}
		}
	})
}

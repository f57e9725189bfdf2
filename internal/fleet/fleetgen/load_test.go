package fleetgen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// loadSize is the number of images of the load test:
// $SHIPSHAPE_LOAD_IMAGES, else def.
func loadSize(def int) int {
	if v, err := strconv.Atoi(os.Getenv("SHIPSHAPE_LOAD_IMAGES")); err == nil && v > 0 {
		return v
	}
	return def
}

// loadFleet is a real server on loopback with its tokens, matching every
// second, and a client that keeps 32 connections per host alive (the
// load test's clients share it).
type loadFleet struct{ *fleettest.Server }

func startLoadFleet(tb testing.TB, dsn, vdb string) *loadFleet {
	tb.Helper()
	f := &loadFleet{fleettest.StartServer(tb, dsn, server.Options{VulnDB: vdb, MatchInterval: time.Second})}
	f.Client = &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	return f
}

// call makes one request and returns the status, the body and how long
// it took, end to end.
func (f *loadFleet) call(ctx context.Context, method, path, token string, body []byte) (int, []byte, time.Duration, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, method, f.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := f.Client.Do(req)
	if err != nil {
		return 0, nil, time.Since(start), err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, time.Since(start), err
}

// latencies collects the durations of one kind of request.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// summary is "n=… p50=… p99=… max=…" in milliseconds.
func (l *latencies) summary() (string, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return "n=0", 0
	}
	d := append([]time.Duration(nil), l.d...)
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	q := func(p int) time.Duration { return d[min(len(d)-1, len(d)*p/100)] }
	ms := func(x time.Duration) string { return strconv.FormatFloat(float64(x.Microseconds())/1000, 'f', 1, 64) }
	return fmt.Sprintf("n=%d p50=%sms p99=%sms max=%sms", len(d), ms(q(50)), ms(q(99)), ms(d[len(d)-1])), q(99)
}

// loadResult is what one load run measured.
type loadResult struct {
	// accepted[i] is true when image i's upload was answered 201, and
	// withContainers[i] when its container records were accepted too.
	accepted, withContainers      []bool
	images                        int
	matched                       bool
	ingestWall                    time.Duration
	upload, containers, affected  latencies
	packages, steadyAffected, img latencies
	errors                        []string
}

func (r *loadResult) fail(format string, args ...any) {
	if len(r.errors) < 20 {
		r.errors = append(r.errors, fmt.Sprintf(format, args...))
	}
}

// runLoad uploads up to n generated SBOMs (and their containers) from
// ingesters concurrent clients while queriers clients ask "affected" and
// "images with package" questions, all over loopback HTTP; then, once
// every package is matched, a fixed number of queries at steady state.
// No upload starts after budget has passed (those in flight finish), so
// the run is bounded by count and by time on a machine of any speed;
// ctx bounds everything.
func runLoad(ctx context.Context, tb testing.TB, f *loadFleet, p *fleetgen.Pool, g *fleetgen.Generator, n, ingesters, queriers, steady int, budget time.Duration) *loadResult {
	tb.Helper()
	res := &loadResult{accepted: make([]bool, n), withContainers: make([]bool, n)}
	var mu sync.Mutex
	fail := func(format string, args ...any) {
		mu.Lock()
		res.fail(format, args...)
		mu.Unlock()
	}
	names := queryNames(p)
	var next atomic.Int64
	var ingested atomic.Int64
	ingestDone := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	stopAt := start.Add(budget)
	for w := 0; w < ingesters; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(stopAt) {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				// Each document is encoded by its client before its request:
				// the latency measured is the server's, not the generator's.
				var doc bytes.Buffer
				if err := encode.Write(&doc, encode.CycloneDXJSON, g.Image(i).SBOM, encode.Options{}); err != nil {
					fail("encode %d: %v", i, err)
					continue
				}
				q := url.Values{"digest": {g.Digest(i)}, "image": {g.Ref(i)}}
				code, body, d, err := f.call(ctx, http.MethodPost, "/api/v1/sboms?"+q.Encode(), f.Ingest, doc.Bytes())
				if err != nil || code != http.StatusCreated {
					fail("upload %d: %d %v %.200s", i, code, err, body)
					continue
				}
				res.upload.add(d)
				ingested.Add(1)
				res.accepted[i] = true
				res.withContainers[i] = true
				if cs := g.Containers(i); len(cs) > 0 {
					body, _ := json.Marshal(server.ContainerBatch{Containers: cs})
					code, out, d, err := f.call(ctx, http.MethodPost, "/api/v1/containers", f.Ingest, body)
					if err != nil || code != http.StatusOK {
						fail("containers %d: %d %v %.200s", i, code, err, out)
						res.withContainers[i] = false
						continue
					}
					res.containers.add(d)
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		res.ingestWall, res.images = time.Since(start), int(ingested.Load())
		close(ingestDone)
	}()

	// Queriers ask while the fleet grows; advisory ids come from what the
	// matcher found so far (an unknown id is a valid, empty answer).
	var qwg sync.WaitGroup
	var advisories atomic.Value
	advisories.Store([]string{"CVE-2023-0286"})
	refresh := func() {
		if ids, err := f.Store.AdvisoryIDs(ctx, 200); err == nil && len(ids) > 0 {
			advisories.Store(ids)
		}
	}
	for w := 0; w < queriers; w++ {
		qwg.Add(1)
		go func(w int) {
			defer qwg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for k := 0; ; k++ {
				select {
				case <-ingestDone:
					return
				case <-ctx.Done():
					return
				default:
				}
				if w == 0 && k%50 == 0 {
					refresh()
				}
				query(ctx, f, r, advisories.Load().([]string), names, &res.affected, &res.packages, fail)
			}
		}(w)
	}
	select {
	case <-ingestDone:
	case <-ctx.Done():
	}
	qwg.Wait()
	if ctx.Err() != nil {
		fail("the run did not end in time: %d of %d images uploaded", ingested.Load(), n)
		return res
	}
	// Steady state: every package matched (waiting at most budget), then
	// a fixed number of queries from the same number of clients.
	matchBy := time.Now().Add(budget)
	for ctx.Err() == nil && time.Now().Before(matchBy) {
		pending, err := f.Store.Pending(ctx)
		if err != nil {
			fail("pending: %v", err)
			return res
		}
		if pending == 0 {
			res.matched = true
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	refresh()
	var left atomic.Int64
	left.Store(int64(steady))
	for w := 0; w < queriers; w++ {
		qwg.Add(1)
		go func(w int) {
			defer qwg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 11))
			for left.Add(-1) >= 0 && ctx.Err() == nil {
				query(ctx, f, r, advisories.Load().([]string), names, &res.steadyAffected, &res.img, fail)
			}
		}(w)
	}
	qwg.Wait()
	return res
}

// queryNames are package names to ask about: the base set and the
// language packages every image may hold.
func queryNames(p *fleetgen.Pool) []string {
	var out []string
	for _, b := range p.Base {
		out = append(out, b.Name)
	}
	for _, l := range p.Lang {
		out = append(out, l.Name)
	}
	return out
}

// query asks one "affected" question and one "images with package".
func query(ctx context.Context, f *loadFleet, r *rand.Rand, ids, names []string, aff, pkgs *latencies, fail func(string, ...any)) {
	id := ids[r.IntN(len(ids))]
	code, body, d, err := f.call(ctx, http.MethodGet, "/api/v1/vulnerabilities/"+url.PathEscape(id)+"/affected?limit=100", f.Read, nil)
	if ctx.Err() != nil {
		return
	}
	if err != nil || code != http.StatusOK {
		fail("affected %s: %d %v %.200s", id, code, err, body)
	} else {
		aff.add(d)
	}
	name := names[r.IntN(len(names))]
	code, body, d, err = f.call(ctx, http.MethodGet, "/api/v1/packages?name="+url.QueryEscape(name), f.Read, nil)
	if ctx.Err() != nil {
		return
	}
	if err != nil || code != http.StatusOK {
		fail("packages %s: %d %v %.200s", name, code, err, body)
	} else {
		pkgs.add(d)
	}
}

// checkNoneLost asks the store, for every generated digest, whether its
// SBOM is there (MissingDigests, a thousand at a time), and compares the
// container records of every image with what was sent.
func checkNoneLost(ctx context.Context, t *testing.T, f *loadFleet, g *fleetgen.Generator, res *loadResult) {
	t.Helper()
	var all []string
	n := 0
	for i, ok := range res.accepted {
		if ok {
			all = append(all, g.Digest(i))
			n++
		}
	}
	lost := 0
	for len(all) > 0 {
		k := min(len(all), store.MaxDigestQuery)
		missing, err := f.Store.MissingDigests(ctx, all[:k])
		if err != nil {
			t.Fatal(err)
		}
		lost += len(missing)
		all = all[k:]
	}
	if lost > 0 {
		t.Errorf("%d of %d images lost", lost, n)
	}
	wrong := 0
	for i, ok := range res.withContainers {
		if !ok {
			continue
		}
		cs, err := f.Store.ContainersOf(ctx, g.Digest(i))
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != len(g.Containers(i)) {
			wrong++
		}
	}
	if wrong > 0 {
		t.Errorf("%d images with the wrong number of container records", wrong)
	}
	var sample store.ImageDetail
	for _, i := range []int{0, res.images / 2, res.images - 1} {
		if i < 0 || !res.accepted[i] {
			continue
		}
		code, body, _, err := f.call(ctx, http.MethodGet, "/api/v1/images/"+g.Digest(i), f.Read, nil)
		if err != nil || code != http.StatusOK || json.Unmarshal(body, &sample) != nil {
			t.Errorf("image %d: %d %v", i, code, err)
			continue
		}
		if want := len(g.Image(i).SBOM.Packages); len(sample.Packages) < want*9/10 || len(sample.Packages) > want {
			t.Errorf("image %d: %d packages stored, %d generated", i, len(sample.Packages), want)
		}
	}
}

// TestLoad is the loopback load test: 6 clients upload generated SBOMs
// of about 300 packages with their container records while 2 clients ask
// "affected" and "images with package"; then, once matching is done, 400
// more queries. It is bounded by count (1,000 images,
// $SHIPSHAPE_LOAD_IMAGES to change) and by time (no upload starts after
// 30 s, $SHIPSHAPE_LOAD_SECONDS), so that a loaded machine uploads fewer
// images instead of failing. Every request must succeed and every image
// and container record the server accepted must be stored. The
// latencies are logged (go test -v -run TestLoad).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test is long; not with -short")
	}
	p, vdb := setup(t)
	n := loadSize(1000)
	budget := 30 * time.Second
	if v, err := strconv.Atoi(os.Getenv("SHIPSHAPE_LOAD_SECONDS")); err == nil && v > 0 {
		budget = time.Duration(v) * time.Second
	}
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*budget+2*time.Minute)
		defer cancel()
		f := startLoadFleet(t, dsn, vdb)
		g := fleetgen.New(p, 2026)
		res := runLoad(ctx, t, f, p, g, n, 6, 2, 400, budget)
		for _, e := range res.errors {
			t.Error(e)
		}
		if t.Failed() {
			return
		}
		if res.images < 10 {
			t.Fatalf("only %d images uploaded in %s: too few to call this a load test", res.images, budget)
		}
		checkNoneLost(context.Background(), t, f, g, res)
		up, _ := res.upload.summary()
		ct, _ := res.containers.summary()
		af, _ := res.affected.summary()
		pk, _ := res.packages.summary()
		saf, _ := res.steadyAffected.summary()
		spk, _ := res.img.summary()
		state := "steady"
		if !res.matched {
			state = "matching not finished"
		}
		load, _ := os.ReadFile("/proc/loadavg")
		t.Logf("%d of %d images in %s (%.1f SBOMs/s with queries running; load average %s)\n  upload      %s\n  containers  %s\n  affected    %s (during ingest)\n  packages    %s (during ingest)\n  affected    %s (%s)\n  packages    %s (%s)",
			res.images, n, res.ingestWall.Round(time.Millisecond), float64(res.images)/res.ingestWall.Seconds(), strings.Join(strings.Fields(string(load))[:3], " "),
			up, ct, af, pk, saf, state, spk, state)
	})
}

// BenchmarkLoadQueries measures the two read questions over loopback
// HTTP from 4 clients on a fleet of 1,000 generated images (uploaded
// and matched before the clock starts), reporting p50 and p99.
func BenchmarkLoadQueries(b *testing.B) {
	p, vdb := setup(b)
	n := loadSize(1000)
	fleettest.Backends(b, func(b *testing.B, dsn string) {
		ctx := context.Background()
		f := startLoadFleet(b, dsn, vdb)
		g := fleetgen.New(p, 2027)
		res := runLoad(ctx, b, f, p, g, n, 4, 0, 0, 10*time.Minute)
		if len(res.errors) > 0 {
			b.Fatal(strings.Join(res.errors, "\n"))
		}
		if !res.matched {
			b.Fatal("matching did not finish")
		}
		ids, err := f.Store.AdvisoryIDs(ctx, 200)
		if err != nil || len(ids) == 0 {
			b.Fatalf("no advisories matched: %v", err)
		}
		names := queryNames(p)
		var aff, pkgs latencies
		var left atomic.Int64
		left.Store(int64(b.N))
		var failed atomic.Int64
		b.ResetTimer()
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 13))
				for left.Add(-1) >= 0 {
					query(ctx, f, r, ids, names, &aff, &pkgs, func(string, ...any) { failed.Add(1) })
				}
			}(w)
		}
		wg.Wait()
		b.StopTimer()
		if failed.Load() > 0 {
			b.Fatalf("%d queries failed", failed.Load())
		}
		_, a99 := aff.summary()
		_, p99 := pkgs.summary()
		b.ReportMetric(float64(a99.Microseconds())/1000, "affected-p99-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "packages-p99-ms")
	})
}

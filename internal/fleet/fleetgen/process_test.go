package fleetgen_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/fleetgen"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// EnvProcessImages sets how many SBOMs TestServerProcess uploads; CI
// uploads 2,000.
const EnvProcessImages = "SHIPSHAPE_FLEET_PROCESS_IMAGES"

// serverRSSLimit is issue 10's bound on the server's resident set.
const serverRSSLimit = 500 << 20

// TestServerProcess measures the server as it is deployed: the released
// binary's `shipshape server`, a process of its own, fed over HTTP by 64
// concurrent clients uploading generated CycloneDX JSON SBOMs (~300
// packages each), then asked "affected by" for advisories that hit the
// fleet once its matching pass is done. It reports the upload rate end to
// end and the query latencies over HTTP, and fails when the server
// process's peak resident set (VmHWM) passes 500 MB, when an upload is
// refused, or when the server does not stop cleanly on SIGTERM.
func TestServerProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the server-process test builds the binary and uploads thousands of SBOMs")
	}
	n := 500
	if os.Getenv("CI") != "" {
		n = 2000
	}
	if v, err := strconv.Atoi(os.Getenv(EnvProcessImages)); err == nil && v > 0 {
		n = v
	}
	p, vdb := setup(t)
	bin := filepath.Join(t.TempDir(), "shipshape")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -buildid=", "-o", bin, "../../../cmd/shipshape")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	docs, digests := cycloneDXDocs(t, fleetgen.New(p, 77), n)
	fleettest.Backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		srv := startProcess(t, bin, dsn, vdb)
		hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		defer hc.CloseIdleConnections()

		var next, failed atomic.Int64
		var firstErr atomic.Value
		start := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < 64; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= n {
						return
					}
					code, body, err := srv.do(hc, "POST", "/api/v1/sboms?image="+url.QueryEscape(fmt.Sprintf("app/%d:1", i))+"&digest="+digests[i], docs[i])
					if err != nil || code != http.StatusCreated {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, fmt.Sprintf("%d %s %v", code, body, err))
					}
				}
			}()
		}
		wg.Wait()
		upload := time.Since(start)
		if f := failed.Load(); f > 0 {
			t.Fatalf("%d of %d uploads failed; first: %v", f, n, firstErr.Load())
		}
		rssAfterIngest := srv.peakRSS(t)

		// The matching pass follows the uploads; the questions wait for it.
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for i := 0; i < n; i += 1000 {
			if missing, err := s.MissingDigests(ctx, digests[i:min(i+1000, n)]); err != nil || len(missing) != 0 {
				t.Fatalf("%d uploaded images not stored: %v", len(missing), err)
			}
		}
		deadline := time.Now().Add(5 * time.Minute)
		for {
			pending, err := s.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if pending == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d package versions still unmatched after 5 minutes", pending)
			}
			time.Sleep(200 * time.Millisecond)
		}
		ids, err := s.AdvisoryIDs(ctx, 1000)
		if err != nil || len(ids) == 0 {
			t.Fatalf("advisories hitting the fleet: %d %v", len(ids), err)
		}
		// Pages of 100, as TestScale asks (the API's default page is 1,000).
		lat := make([]time.Duration, 500)
		for i := range lat {
			t0 := time.Now()
			code, body, err := srv.do(hc, "GET", "/api/v1/vulnerabilities/"+url.PathEscape(ids[(i*7919)%len(ids)])+"/affected?limit=100", nil)
			lat[i] = time.Since(t0)
			if err != nil || code != http.StatusOK || !bytes.Contains(body, []byte(`"digest"`)) {
				t.Fatalf("affected %s: %d %.300s %v", ids[(i*7919)%len(ids)], code, body, err)
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		peak := srv.peakRSS(t)
		t.Logf("%s, shipshape server process, %d SBOMs over HTTP from 64 clients: %.0f SBOMs/s (%v); affected over HTTP p50 %v p99 %v; server peak RSS %d MB after ingest, %d MB at the end (issue 10 bound %d MB)",
			s.Backend(), n, float64(n)/upload.Seconds(), upload.Round(time.Millisecond), lat[len(lat)/2].Round(10*time.Microsecond),
			lat[len(lat)*99/100].Round(10*time.Microsecond), rssAfterIngest>>20, peak>>20, serverRSSLimit>>20)
		if peak > serverRSSLimit {
			t.Errorf("server peak RSS %d MB, want at most %d MB", peak>>20, serverRSSLimit>>20)
		}
		if err := srv.stop(); err != nil {
			t.Errorf("graceful stop: %v", err)
		}
	})
}

// process is a `shipshape server` running as a process of its own.
type process struct {
	cmd     *exec.Cmd
	url     string
	token   string
	log     *lockedBuffer
	exited  chan struct{}
	waitErr error
}

func startProcess(t *testing.T, bin, dsn, vdb string) *process {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var tok [32]byte
	rand.Read(tok[:])
	args := []string{"server", "--listen", addr, "--vuln-db", vdb}
	if store.IsPostgres(dsn) {
		args = append(args, "--database", dsn)
	} else {
		args = append(args, "--data", filepath.Dir(dsn))
	}
	pr := &process{url: "http://" + addr, token: hex.EncodeToString(tok[:]), log: &lockedBuffer{}, exited: make(chan struct{})}
	pr.cmd = exec.Command(bin, args...)
	pr.cmd.Env = append(os.Environ(), "SHIPSHAPE_BOOTSTRAP_TOKEN="+pr.token, "GOMEMLIMIT=")
	pr.cmd.Stdout, pr.cmd.Stderr = pr.log, pr.log
	if err := pr.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		pr.waitErr = pr.cmd.Wait()
		close(pr.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-pr.exited:
		default:
			pr.cmd.Process.Kill()
			<-pr.exited
		}
		if t.Failed() {
			t.Logf("server log:\n%.4000s", pr.log.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(pr.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return pr
			}
		}
		select {
		case <-pr.exited:
			t.Fatalf("the server exited at start: %v\n%s", pr.waitErr, pr.log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server was not ready in 30 s:\n%s", pr.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (pr *process) do(hc *http.Client, method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, pr.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+pr.token)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// peakRSS reads the server process's peak resident set (VmHWM).
func (pr *process) peakRSS(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pr.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("server status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in the server's status")
	return 0
}

// lockedBuffer is the server's output, written by the process's copying
// goroutines and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (pr *process) stop() error {
	if err := pr.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-pr.exited:
		return pr.waitErr
	case <-time.After(30 * time.Second):
		pr.cmd.Process.Kill()
		return fmt.Errorf("no exit 30 s after SIGTERM")
	}
}

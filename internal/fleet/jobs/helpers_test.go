package jobs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// envWorker, when set, makes the test binary a `shipshape worker`
// process: its value is the command line as a JSON array. The tests start
// such processes to show that jobs queued by a server are done by a
// separate worker.
const envWorker = "SHIPSHAPE_JOBS_TEST_WORKER"

func TestMain(m *testing.M) {
	if args := os.Getenv(envWorker); args != "" {
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		code := cli.Execute(ctx, argv, strings.NewReader(""), os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(fleettest.Main(m))
}

// startWorker runs `shipshape worker args...` in a child process (this
// test binary), stopped with SIGTERM at the end of the test, which it
// must survive with exit 0.
func startWorker(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envWorker+"="+string(mustJSON(t, append([]string{"worker"}, args...))))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("worker: %v\n%s", err, out.String())
			} else if t.Failed() {
				t.Logf("worker output:\n%s", out.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("worker did not stop on SIGTERM\n%s", out.String())
		}
	})
}

func digestOf(name string) string { return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(name))) }

// alpineRoot is a real Alpine 3.10 root's package database and release
// files (the shared data's alpine-310-metadata): 14 packages, openssl's
// libcrypto1.1 and libssl1.1 among them.
func alpineRoot(t testing.TB) string {
	return filepath.Join(corpus.Shared(t), "data", "alpine", "alpine-310-metadata")
}

// alpineDB writes a vulnerability database at path from Alpine's secdb
// for v3.10 (main), built at built: the tests update it later, so it is
// their own, not fleettest.VulnDB's shared one.
func alpineDB(t testing.TB, path string, built time.Time) {
	t.Helper()
	if err := fleettest.WriteVulnDB(path, built, filepath.Join(corpus.Shared(t), "data", "alpine", "secdb", "v3.10", "main.json")); err != nil {
		t.Fatal(err)
	}
}

// testAdvisory is an advisory the shared data does not hold: every
// openssl of Alpine 3.10 before 9.9.9 is affected.
const testAdvisory = "SHIPSHAPE-TEST-0001"

// update rebuilds the database at path as `shipshape db update` would:
// a new build (built), with the advisories given as the one source
// "test-edit".
func update(t testing.TB, path string, built time.Time, advs ...vuln.Advisory) {
	t.Helper()
	// The source replaces what it held before: no advisories withdraw
	// the ones an earlier update added.
	if err := fleettest.UpdateVulnDB(path, built, "test-edit", "test", advs...); err != nil {
		t.Fatal(err)
	}
}

func opensslAdvisory() vuln.Advisory {
	return vuln.Advisory{ID: testAdvisory, Aliases: []string{"CVE-2099-0001"}, Summary: "test advisory for openssl",
		Severity: []vuln.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
		Source:   "test",
		Affected: []vuln.Affected{{Ecosystem: "Alpine:v3.10", Package: "openssl",
			Ranges: []vuln.Range{{Type: "ECOSYSTEM", Events: []vuln.Event{{Introduced: "0"}, {Fixed: "9.9.9-r0"}}}}}}}
}

// fleet is a real server on a loopback port.
type fleet struct{ *fleettest.Server }

// start is fleettest.StartServer with short job retries and polls (unless
// o sets them), so that the tests wait seconds, not minutes, for jobs;
// it returns once the server answers.
func start(t *testing.T, dsn string, o server.Options) *fleet {
	t.Helper()
	if o.Jobs.RetryBase == 0 {
		o.Jobs.RetryBase, o.Jobs.RetryMax = 200*time.Millisecond, time.Second
	}
	if o.Jobs.PollInterval == 0 {
		o.Jobs.PollInterval = 100 * time.Millisecond
	}
	f := &fleet{fleettest.StartServer(t, dsn, o)}
	f.WaitReady(t)
	return f
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// eventually polls cond every 50 ms until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// affectedImages asks the server which images advisory id affects.
func (f *fleet) affectedImages(t *testing.T, id string) []store.AffectedImage {
	t.Helper()
	code, body := f.Do(t, "GET", "/api/v1/vulnerabilities/"+id+"/affected", f.Read, nil)
	if code != http.StatusOK {
		t.Fatalf("affected %s: %d %s", id, code, body)
	}
	var a store.Affected
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	return a.Images
}

func encodeCDX(t testing.TB, s *sbom.SBOM) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := encode.Write(&b, encode.CycloneDXJSON, s, encode.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

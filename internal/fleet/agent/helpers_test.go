package agent_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/fleet/agent"
	"github.com/shipshape-sec/shipshape/internal/fleet/client"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

func TestMain(m *testing.M) {
	os.Exit(fleettest.Main(m))
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (required in CI)", why)
	}
	t.Skip(why)
}

func unique(t *testing.T, prefix string) string {
	t.Helper()
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b[:])
}

// cli runs docker or podman and returns its trimmed output.
func cli(t *testing.T, tool string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// importBookworm imports the debootstrap bookworm root filesystem as an
// image with a unique name through tool (docker or podman) and returns
// the name and the digest the agent names it by; the image is removed when the test ends.
func importBookworm(t *testing.T, tool, name string, env ...string) (string, string) {
	t.Helper()
	root := corpus.BookwormRootfs(t)
	tr := exec.Command("tar", "-C", root, "-c", ".")
	imp := exec.Command(tool, "import", "-", name)
	imp.Env = append(os.Environ(), env...)
	pipe, err := tr.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	imp.Stdin = pipe
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	out, err := imp.CombinedOutput()
	if err != nil {
		t.Fatalf("%s import: %v\n%s", tool, err, out)
	}
	_ = tr.Wait()
	t.Cleanup(func() { _ = exec.Command(tool, "rmi", "-f", name).Run() })
	// The agent names an image by the registry digest the engine records,
	// else by its ID: Docker records none for an imported image, Podman
	// records the digest of the manifest it wrote.
	if rd := cli(t, tool, "image", "inspect", "--format", "{{range .RepoDigests}}{{.}} {{end}}", name); rd != "" {
		first, _, _ := strings.Cut(rd, " ")
		if _, d, ok := strings.Cut(first, "@"); ok {
			return name, d
		}
	}
	id := cli(t, tool, "image", "inspect", "--format", "{{.Id}}", name)
	if !strings.HasPrefix(id, "sha256:") {
		id = "sha256:" + id
	}
	return name, id
}

// bookwormVulnDB imports Debian's bookworm OVAL definitions (2023) into a
// vulnerability database once per test binary: the bookworm image holds
// packages with issues Debian's data leaves open, so the fleet has
// something to answer "affected" with.
func bookwormVulnDB(t *testing.T) string {
	t.Helper()
	return fleettest.VulnDB(t, filepath.Join(corpus.Shared(t), "data", "debian", "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2"))
}

// fleet is a real fleet server on loopback.
type fleet struct{ *fleettest.Server }

func startFleet(t *testing.T, dsn, vulnDB string) *fleet {
	t.Helper()
	return startFleetAt(t, dsn, vulnDB, "127.0.0.1:0")
}

// startFleetAt is startFleet on a given address. The server matches every
// second, so that the agent's uploads are matched while a test waits.
func startFleetAt(t *testing.T, dsn, vulnDB, addr string) *fleet {
	t.Helper()
	return &fleet{fleettest.StartServerAt(t, dsn, addr, server.Options{VulnDB: vulnDB, MatchInterval: time.Second})}
}

// get GETs path with the read token and decodes a 200 answer into out;
// it returns the status.
func (f *fleet) get(t *testing.T, path string, out any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.Read)
	resp, err := f.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == http.StatusOK && out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, data)
		}
	}
	return resp.StatusCode
}

// image is GET /api/v1/images/{digest}; nil when the fleet has none.
func (f *fleet) image(t *testing.T, digest string) *store.ImageDetail {
	t.Helper()
	var d store.ImageDetail
	switch code := f.get(t, "/api/v1/images/"+digest, &d); code {
	case http.StatusOK:
		return &d
	case http.StatusNotFound:
		return nil
	default:
		t.Fatalf("GET image %s: %d", digest, code)
		return nil
	}
}

// running lists the names of the running containers of the image.
func running(d *store.ImageDetail) []string {
	var out []string
	if d == nil {
		return out
	}
	for _, c := range d.Containers {
		out = append(out, c.Name)
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s; last state: %s", timeout, what, state)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// runAgent runs an agent against the engine at host until the test
// ends (or stop is called), and checks that it stops cleanly.
func runAgent(t *testing.T, host string, f *fleet, o agent.Options) (*agent.Agent, func()) {
	t.Helper()
	return runAgentTo(t, host, f.URL, f.Ingest, o)
}

// runAgentTo is runAgent reporting to a server URL that may not answer yet.
func runAgentTo(t *testing.T, host, serverURL, token string, o agent.Options) (*agent.Agent, func()) {
	t.Helper()
	ec, err := engineapi.New(host, engineapi.TLS{})
	if err != nil {
		t.Fatal(err)
	}
	return runAgentWith(t, ec, serverURL, token, o)
}

// runAgentWith is runAgentTo with an engine client of the test's making
// (one speaking TLS).
func runAgentWith(t *testing.T, ec *engineapi.Client, serverURL, token string, o agent.Options) (*agent.Agent, func()) {
	t.Helper()
	fc, err := client.New(serverURL, token, &http.Client{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	o.Engine, o.Fleet = ec, fc
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if o.BatchDelay == 0 {
		o.BatchDelay = 100 * time.Millisecond
	}
	if o.Resync == 0 {
		// Long enough that only events and reconnections can explain what
		// the server learns during a test.
		o.Resync = time.Hour
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 2 * time.Second
	}
	a, err := agent.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("agent.Run: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Errorf("the agent did not stop within 20s of its context ending")
			}
		})
	}
	t.Cleanup(stop)
	return a, stop
}

// testWriter sends log lines to t.Log while the test runs.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	defer func() { _ = recover() }() // a line logged after the test ended
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func describe(d *store.ImageDetail) string {
	if d == nil {
		return "no image"
	}
	return fmt.Sprintf("refs %v, %d packages, %d vulnerabilities, containers %v", d.Refs, len(d.Packages), len(d.Vulnerabilities), running(d))
}

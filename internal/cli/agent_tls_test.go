package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
	"github.com/shipshape-sec/shipshape/internal/engineapi/enginetest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// agentFleet is a real fleet server on loopback (SQLite) with an ingest
// and a read token.
type agentFleet struct {
	url, ingest, read string
}

func startAgentFleet(t *testing.T) agentFleet {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var f agentFleet
	if f.ingest, err = st.CreateToken(ctx, "agent", []string{store.ScopeIngest}); err != nil {
		t.Fatal(err)
	}
	if f.read, err = st.CreateToken(ctx, "reader", []string{store.ScopeRead}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Store: st, MatchInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.url = "http://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln, server.TLS{}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	return f
}

// running is the names of the running containers the server lists for
// the image, and its package count; ok is false while it has no SBOM.
func (f agentFleet) running(t *testing.T, digest string) (names []string, packages int, ok bool) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.url+"/api/v1/images/"+digest, nil)
	req.Header.Set("Authorization", "Bearer "+f.read)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusNotFound {
		return nil, 0, false
	}
	var d store.ImageDetail
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &d) != nil {
		t.Fatalf("GET image %s: %d %s", digest, resp.StatusCode, body)
	}
	for _, c := range d.Containers {
		names = append(names, c.Name)
	}
	return names, len(d.Packages), true
}

// startAgent runs `shipshape agent` in process until stop, which cancels
// it (SIGTERM's path) and returns its exit code and standard error;
// errb is its standard error so far.
func startAgent(args ...string) (errb *syncBuffer, stop func() (int, string)) {
	ctx, cancel := context.WithCancel(context.Background())
	errb = &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- cli.Execute(ctx, append([]string{"agent"}, args...), strings.NewReader(""), io.Discard, errb)
	}()
	return errb, func() (int, string) {
		cancel()
		select {
		case code := <-done:
			return code, errb.String()
		case <-time.After(30 * time.Second):
			return -1, "the agent did not stop within 30s:\n" + errb.String()
		}
	}
}

// TestAgentCLITLS runs `shipshape agent` against the real Docker Engine
// behind TLS with client certificates (a loopback TLS proxy to the Docker
// socket) and a real fleet server, first with the flags and then with
// docker's environment (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH).
// The image is an imported one the server does not know, so the agent
// exports it through the same TLS connection settings and uploads its
// SBOM. A CA that did not sign the engine's certificate, a missing client
// certificate and plain TCP to the TLS port are exit 2, said plainly.
func TestAgentCLITLS(t *testing.T) {
	dockerOrSkip(t)
	image := sleeperImage(t)
	base := strings.TrimSuffix(strings.ReplaceAll(image, ":", "-"), "-test")
	digest := dockerRun(t, "image", "inspect", "--format", "{{.Id}}", image)
	flagged, envd := base+"-flags", base+"-env"
	startContainer(t, flagged, "--label", "shipshape.test="+flagged, image, "/app")
	startContainer(t, envd, "--label", "shipshape.test="+envd, image, "/app")
	host, certs := enginetest.TLSProxy(t, "/var/run/docker.sock")
	f := startAgentFleet(t)
	// From here no engine socket is reachable but through the proxy.
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-engine-here.sock"))
	t.Setenv("DOCKER_TLS_VERIFY", "")
	t.Setenv("DOCKER_CERT_PATH", t.TempDir())
	t.Setenv("SHIPSHAPE_TOKEN", f.ingest)

	// waitReported waits for the server to list the container and, with
	// upload, for the agent to have logged its upload (the server may
	// answer with the SBOM before the agent's request returned).
	waitReported := func(name string, errb *syncBuffer, upload bool, stop func() (int, string)) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for {
			names, pkgs, ok := f.running(t, digest)
			if ok && slices.Contains(names, name) && (!upload || strings.Contains(errb.String(), "uploaded SBOM")) {
				if pkgs == 0 {
					t.Errorf("the uploaded SBOM of %s lists no package", image)
				}
				return
			}
			if time.Now().After(deadline) {
				code, stderr := stop()
				t.Fatalf("%s not reported (SBOM uploaded: %v, running %v); agent exit %d:\n%s", name, ok, names, code, stderr)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	// The flags.
	errb, stop := startAgent("--server", f.url, "--host", host, "--tlsverify", "--tlscacert", certs.CA, "--tlscert", certs.Cert, "--tlskey", certs.Key,
		"--label", "shipshape.test="+flagged, "--debug")
	waitReported(flagged, errb, true, stop)
	code, stderr := stop()
	if code != 0 || !strings.Contains(stderr, "uploaded SBOM") || !strings.Contains(stderr, "engine="+host) {
		t.Errorf("agent with the TLS flags: exit %d, want 0, an upload, the engine named:\n%s", code, stderr)
	}

	// docker's environment; the server knows the image now.
	t.Setenv("DOCKER_HOST", host)
	t.Setenv("DOCKER_TLS_VERIFY", "1")
	t.Setenv("DOCKER_CERT_PATH", certs.Dir)
	errb, stop = startAgent("--server", f.url, "--label", "shipshape.test="+envd, "--debug")
	waitReported(envd, errb, false, stop)
	code, stderr = stop()
	if code != 0 || strings.Contains(stderr, "uploaded SBOM") {
		t.Errorf("agent with DOCKER_TLS_VERIFY: exit %d, want 0 and no second upload:\n%s", code, stderr)
	}

	for _, c := range []struct {
		what string
		env  map[string]string
		args []string
		want string
	}{
		{"a CA that did not sign the engine's certificate", nil,
			[]string{"--tlsverify", "--tlscacert", certs.OtherCA, "--tlscert", certs.Cert, "--tlskey", certs.Key},
			"TLS certificate is not trusted by --tlscacert " + certs.OtherCA},
		{"--tlscacert with cert.pem and key.pem from DOCKER_CERT_PATH", map[string]string{"DOCKER_TLS_VERIFY": "1"},
			[]string{"--tlscacert", certs.OtherCA}, "TLS certificate is not trusted by --tlscacert " + certs.OtherCA},
		{"no client certificate", map[string]string{"DOCKER_CERT_PATH": t.TempDir()},
			[]string{"--tlsverify", "--tlscacert", certs.CA}, "cannot reach the engine at " + host},
		{"plain TCP to the TLS port", map[string]string{"DOCKER_TLS_VERIFY": ""}, nil, "cannot reach the engine at " + host},
	} {
		t.Run(c.what, func(t *testing.T) {
			t.Setenv("DOCKER_HOST", "")
			t.Setenv("DOCKER_TLS_VERIFY", "")
			t.Setenv("DOCKER_CERT_PATH", certs.Dir)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			start := time.Now()
			r := run(t, "", append([]string{"agent", "--server", f.url, "--host", host, "--label", "shipshape.test=" + flagged}, c.args...)...)
			wantCode(t, r, 2)
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, r)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("the refusal took %s", d)
			}
		})
	}
}

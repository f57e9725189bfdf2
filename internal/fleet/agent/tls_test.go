package agent_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/engineapi/enginetest"
	"github.com/shipshape-sec/shipshape/internal/fleet/agent"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// TestAgentDockerTLS runs the agent against the real Docker Engine
// served over TLS with client certificates (enginetest.TLSProxy, as a
// dockerd started with --tlsverify answers) and a real fleet server. No
// socket is reachable any other way ($DOCKER_HOST names a socket that
// does not exist), so the listing, the events, the inspects and the
// export of the image the server does not know all went through TLS:
// the containers are reported, the image is catalogued and uploaded
// once. An agent given a CA that did not sign the engine's certificate
// never connects and logs why.
func TestAgentDockerTLS(t *testing.T) {
	needDocker(t)
	id := unique(t, "shipshape-agent-tls")
	image, digest := importBookworm(t, "docker", id+":test")
	// From here the docker CLI is told where the engine is (-H); nothing
	// else can find it.
	sock := "unix:///var/run/docker.sock"
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-engine-here.sock"))
	t.Setenv("DOCKER_TLS_VERIFY", "")
	host, certs := enginetest.TLSProxy(t, "/var/run/docker.sock")
	label := "shipshape.test=" + id
	early, late := id+"-early", id+"-late"
	run := func(name string) {
		t.Helper()
		t.Cleanup(func() { _ = exec.Command("docker", "-H", sock, "rm", "-f", name).Run() })
		cli(t, "docker", "-H", sock, "run", "-d", "--label", label, "--name", name, image, "sleep", "600")
	}
	run(early)

	f := startFleet(t, filepath.Join(t.TempDir(), "fleet.db"), "")
	ec, err := engineapi.New(host, engineapi.TLS{Enabled: true, CAFile: certs.CA, CertFile: certs.Cert, KeyFile: certs.Key})
	if err != nil {
		t.Fatal(err)
	}
	if ec.PlainTCP || ec.Local {
		t.Fatalf("the engine client is not a TLS one: %+v", ec)
	}
	a, stop := runAgentWith(t, ec, f.URL, f.Ingest, agent.Options{Labels: []string{label}})
	var d *store.ImageDetail
	waitFor(t, 90*time.Second, "the image exported over TLS, uploaded, and the early container listed", func() (bool, string) {
		d = f.image(t, digest)
		return d != nil && has(running(d), early), fmt.Sprintf("%s; stats %+v", describe(d), a.Stats())
	})
	// The server may answer with the SBOM before the agent's upload
	// request returned.
	waitFor(t, 30*time.Second, "the upload counted", func() (bool, string) {
		return a.Stats().Scanned == 1, fmt.Sprintf("%+v", a.Stats())
	})
	if len(d.Packages) < 50 || d.Distro == "" || !has(d.Refs, image) {
		t.Errorf("the uploaded SBOM: %s, distro %q (want the bookworm packages, ref %s)", describe(d), d.Distro, image)
	}
	run(late)
	waitFor(t, 30*time.Second, "the late container reported through the TLS event stream", func() (bool, string) {
		d = f.image(t, digest)
		return has(running(d), late), describe(d)
	})
	cli(t, "docker", "-H", sock, "stop", "-t", "1", early)
	waitFor(t, 30*time.Second, "the stopped container dropped", func() (bool, string) {
		d = f.image(t, digest)
		return !has(running(d), early) && has(running(d), late), describe(d)
	})
	stop()
	if st := a.Stats(); st.Scanned != 1 || st.ScanErrors != 0 || st.Sessions != 1 || st.Events == 0 {
		t.Errorf("stats %+v: want one scan, no scan error, one session, events", st)
	}

	// The wrong CA: no session, and the log says which CA refused.
	bad, err := engineapi.New(host, engineapi.TLS{Enabled: true, CAFile: certs.OtherCA, CertFile: certs.Cert, KeyFile: certs.Key})
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	a, stop = runAgentWith(t, bad, f.URL, f.Ingest, agent.Options{Labels: []string{label},
		Log: slog.New(slog.NewTextHandler(&logs, nil)), MaxBackoff: 500 * time.Millisecond})
	want := "TLS certificate is not trusted by --tlscacert " + certs.OtherCA
	waitFor(t, 20*time.Second, "the refused handshake logged", func() (bool, string) {
		return strings.Count(logs.String(), want) >= 2, logs.String()
	})
	stop()
	if st := a.Stats(); st.Sessions != 0 || st.Sent != 0 || st.Scanned != 0 {
		t.Errorf("an agent that does not trust the engine did something: %+v", st)
	}
}

// syncBuffer collects log lines written from the agent's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

package agent_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/agent"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// podmanService starts `podman system service` on a socket of its own
// for the test and stops it at the end; it skips when podman is not
// usable and CI is unset.
func podmanService(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("podman")
	if err == nil {
		if out, err2 := exec.Command(path, "info").CombinedOutput(); err2 != nil {
			err = fmt.Errorf("podman info: %v\n%s", err2, out)
		}
	}
	if err != nil {
		skipOrFail(t, fmt.Sprintf("podman is not usable (%v)", err))
	}
	dir, err := os.MkdirTemp("", "ssg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sock := filepath.Join(dir, "podman.sock")
	cmd := exec.Command(path, "system", "service", "--time=0", "unix://"+sock)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return "unix://" + sock
		}
		if time.Now().After(deadline) {
			t.Fatalf("podman system service did not listen on %s:\n%s", sock, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestAgentPodman runs the agent against Podman's Docker-compatible API:
// the image is exported through it and uploaded, a container started
// after the agent is reported from Podman's events, and its stop and
// removal drop it from the server's answers, with the stop time kept.
func TestAgentPodman(t *testing.T) {
	host := podmanService(t)
	id := unique(t, "shipshape-agent-podman")
	image, digest := importBookworm(t, "podman", "localhost/"+id+":test")
	label := "shipshape.test=" + id
	f := startFleet(t, filepath.Join(t.TempDir(), "fleet.db"), "")
	a, stop := runAgent(t, host, f, agent.Options{Labels: []string{label}})
	waitFor(t, 20*time.Second, "the agent connected", func() (bool, string) {
		return a.Stats().Sessions == 1, fmt.Sprintf("%+v", a.Stats())
	})
	name := id + "-c"
	t.Cleanup(func() { _ = exec.Command("podman", "rm", "-f", name).Run() })
	// Lower limits than the host's: this machine's podman may not raise
	// a container's rlimits to the host's (runc: operation not permitted).
	cli(t, "podman", "run", "-d", "--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--label", label, "--label", "com.docker.compose.project=shop",
		"--label", "com.docker.compose.service=db", "--name", name, image, "sleep", "600")
	var d *store.ImageDetail
	waitFor(t, 90*time.Second, "the image uploaded and the container reported", func() (bool, string) {
		d = f.image(t, digest)
		return has(running(d), name), describe(d)
	})
	if len(d.Packages) < 50 || !has(d.Refs, image) {
		t.Errorf("the SBOM uploaded through podman: %s", describe(d))
	}
	if c := d.Containers[0]; c.ComposeProject != "shop" || c.ComposeService != "db" || c.Started == 0 || c.Host == "" {
		t.Errorf("podman container record %+v", c)
	}
	cli(t, "podman", "stop", "-t", "1", name)
	waitFor(t, 30*time.Second, "the stopped container dropped", func() (bool, string) {
		d = f.image(t, digest)
		return len(running(d)) == 0, describe(d)
	})
	cs, err := containersOf(f, digest)
	if err != nil || len(cs) != 1 || cs[0].Stopped < cs[0].Started || cs[0].Stopped == 0 {
		t.Errorf("stopped record %+v %v", cs, err)
	}
	cli(t, "podman", "rm", "-f", name)
	stop()
	if st := a.Stats(); st.Scanned != 1 || st.ScanErrors != 0 || st.Events == 0 {
		t.Errorf("stats %+v", st)
	}
}

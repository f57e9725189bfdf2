package agent_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/engineapi/enginetest"
	"github.com/shipshape-sec/shipshape/internal/fleet/agent"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// TestAgentPodman runs the agent against Podman's Docker-compatible API:
// the image is exported through it and uploaded, a container started
// after the agent is reported from Podman's events, and its stop and
// removal drop it from the server's answers, with the stop time kept.
func TestAgentPodman(t *testing.T) {
	host := enginetest.PodmanService(t)
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

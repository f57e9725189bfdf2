package enginetest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// PodmanService starts `podman system service` on a socket of its own for
// the test, stops it at the end and returns its unix:// address: the
// second Engine API the audit and agent tests run against. It skips when
// podman is not usable and CI is unset, and fails the test when CI is set.
func PodmanService(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("podman")
	if err == nil {
		if out, err2 := exec.Command(path, "info").CombinedOutput(); err2 != nil {
			err = fmt.Errorf("podman info: %v\n%s", err2, out)
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but podman is not usable: %v", err)
		}
		t.Skipf("skipping: podman is not usable (%v)", err)
	}
	// A short directory: a unix socket path is limited to 108 bytes.
	dir, err := os.MkdirTemp("", "ssp")
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

package engine_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/engine"
)

// podmanService starts `podman system service` on a socket of its own for
// the test and stops it at the end; it skips when podman is not usable and
// CI is unset.
func podmanService(t *testing.T) string {
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
	dir, err := os.MkdirTemp("", "ssa")
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

// TestAuditPodman audits containers podman created (not started: a
// privileged one, one with an added capability and one hardened) through
// podman's Docker-compatible API, with All.
func TestAuditPodman(t *testing.T) {
	host := podmanService(t)
	id := unique(t, "shipshape-audit-podman")
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	_ = tw.WriteHeader(&tar.Header{Name: "x", Typeflag: tar.TypeReg, Mode: 0o755, Size: 2})
	_, _ = tw.Write([]byte("x\n"))
	_ = tw.Close()
	tarPath := filepath.Join(t.TempDir(), "rootfs.tar")
	if err := os.WriteFile(tarPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	podman := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "podman", args...).CombinedOutput(); err != nil {
			t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	image := "localhost/" + id + ":test"
	podman("import", tarPath, image)
	t.Cleanup(func() { _ = exec.Command("podman", "rmi", "-f", image).Run() })
	create := func(name string, flags ...string) {
		t.Cleanup(func() { _ = exec.Command("podman", "rm", "-f", name).Run() })
		podman(append(append([]string{"create", "--runtime", "runc", "--name", name}, flags...), image, "/x")...)
	}
	priv, capped, hardened := id+"-priv", id+"-cap", id+"-hard"
	create(priv, "--privileged")
	create(capped, "--cap-add", "SYS_ADMIN", "--security-opt", "seccomp=unconfined")
	create(hardened, "--user", "10001:10001", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--read-only",
		"--memory", "64m", "--cpus", "0.5", "--pids-limit", "64")

	res := audit(t, engine.AuditOptions{Host: host, All: true})
	wantRules(t, of(res, priv), priv, "RT1003")
	wantRules(t, of(res, capped), capped, "RT1005", "RT1007")
	quietRules(t, of(res, hardened), hardened, "RT1003", "RT1004", "RT1005", "RT1006", "RT1007", "RT1009", "RT1010", "RT1012", "RT1013", "RT1014")
	for _, f := range res.Findings {
		if f.Container == nil && (f.RuleID == "RT1203" || f.RuleID == "RT1204" || f.RuleID == "RT1205") {
			t.Errorf("a Docker-only daemon rule judged podman: %s %s", f.RuleID, f.Message)
		}
		if c := f.Container; c != nil && c.Name == priv && (c.ID == "" || c.ImageDigest == "") {
			t.Errorf("podman container location: %+v", c)
		}
	}
}

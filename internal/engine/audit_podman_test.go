package engine_test

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/engineapi/enginetest"
)

// TestAuditPodman audits containers podman created (not started: a
// privileged one, one with an added capability and one hardened) through
// podman's Docker-compatible API, with All.
func TestAuditPodman(t *testing.T) {
	host := enginetest.PodmanService(t)
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

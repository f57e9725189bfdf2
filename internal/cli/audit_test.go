package cli_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

func TestAuditUnreachableEngine(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "no.sock")
	r := run(t, "", "audit", "--host", "unix://"+sock)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "cannot reach the engine") {
		t.Errorf("stderr does not say the engine cannot be reached:\n%s", r)
	}
	r = run(t, "", "audit", "--host", "ssh://example")
	wantCode(t, r, 2)
	r = run(t, "", "audit", "--watch", "-o", filepath.Join(t.TempDir(), "x.json"))
	wantCode(t, r, 2)
	r = run(t, "", "audit", "extra-arg")
	wantCode(t, r, 2)
}

// dockerOrSkip skips without a Docker Engine unless CI is set.
func dockerOrSkip(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("docker", "version", "--format", "{{.Server.Version}}").CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the Docker Engine is not usable: %v\n%s", err, out)
		}
		t.Skipf("skipping: no Docker Engine (%v); these tests run with CI set", err)
	}
}

func dockerRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// sleeperImage imports an image FROM scratch holding the engine tests'
// static program as /app; removed at the end.
func sleeperImage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "app")
	build := exec.Command("go", "build", "-o", bin, "../engine/testdata/auditapp")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	prog, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	_ = tw.WriteHeader(&tar.Header{Name: "app", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(prog))})
	_, _ = tw.Write(prog)
	_ = tw.Close()
	tarPath := filepath.Join(dir, "rootfs.tar")
	if err := os.WriteFile(tarPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var b [5]byte
	_, _ = rand.Read(b[:])
	image := "shipshape-cli-audit-" + hex.EncodeToString(b[:]) + ":test"
	dockerRun(t, "import", tarPath, image)
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", image).Run() })
	return image
}

func startContainer(t *testing.T, name string, args ...string) {
	t.Helper()
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	dockerRun(t, append([]string{"run", "-d", "--name", name}, args...)...)
}

func TestAuditCLIDocker(t *testing.T) {
	dockerOrSkip(t)
	image := sleeperImage(t)
	name := strings.TrimSuffix(strings.ReplaceAll(image, ":", "-"), "-test")
	startContainer(t, name, "--security-opt", "seccomp=unconfined", image, "/app")

	t.Run("json and gate", func(t *testing.T) {
		r := run(t, "", "audit", "--container", name, "--format", "json")
		wantCode(t, r, 1)
		var doc struct {
			Complete bool
			Findings []struct {
				RuleID    string `json:"ruleId"`
				File      string
				Container struct{ Name, ID, ImageDigest string }
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("JSON: %v\n%s", err, r)
		}
		found := false
		for _, f := range doc.Findings {
			if f.RuleID == "RT1007" {
				found = f.Container.Name == name && f.Container.ID != "" && strings.HasPrefix(f.Container.ImageDigest, "sha256:") && f.File == "container/"+name
			}
		}
		if !doc.Complete || !found {
			t.Errorf("want a complete report with RT1007 located at the container:\n%s", r.stdout)
		}
		wantCode(t, run(t, "", "audit", "--container", name, "--fail-on", "none"), 0)
	})

	t.Run("sarif", func(t *testing.T) {
		r := run(t, "", "audit", "--container", name, "--format", "sarif", "--fail-on", "none")
		wantCode(t, r, 0)
		if !strings.Contains(r.stdout, `"ruleId": "RT1007"`) || !strings.Contains(r.stdout, `"executionSuccessful": true`) {
			t.Errorf("SARIF lacks the finding:\n%s", r.stdout)
		}
	})

	t.Run("missing container", func(t *testing.T) {
		wantCode(t, run(t, "", "audit", "--container", name+"-nope"), 2)
	})

	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out, errb bytes.Buffer
		code := cli.Execute(ctx, []string{"audit", "--container", name, "--fail-on", "none"}, strings.NewReader(""), &out, &errb)
		if code != 2 || strings.Contains(out.String(), "pass") || !strings.Contains(out.String(), "INCOMPLETE") {
			t.Errorf("an interrupted audit: exit %d\n%s%s", code, out.String(), errb.String())
		}
	})

	t.Run("watch", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		out, errb := &syncBuffer{}, &syncBuffer{}
		done := make(chan int, 1)
		go func() {
			done <- cli.Execute(ctx, []string{"audit", "--watch", "--format", "json"}, strings.NewReader(""), out, errb)
		}()
		waitUntil(t, func() bool { return strings.Contains(errb.String(), "watching") }, "watch to start: "+errb.String())
		watched := name + "-w"
		startContainer(t, watched, "--cap-add", "SYS_ADMIN", image, "/app")
		waitUntil(t, func() bool { return strings.Contains(out.String(), `"`+watched+`"`) }, "the started container's report")
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("--watch stopped by a signal: exit %d, want 0\n%s", code, errb.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatal("--watch did not stop when interrupted")
		}
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var doc struct {
				Complete bool
				Findings []struct {
					RuleID    string `json:"ruleId"`
					Container *struct{ Name string }
				}
			}
			if err := json.Unmarshal([]byte(line), &doc); err != nil {
				t.Fatalf("not a JSON line: %v\n%s", err, line)
			}
			for _, f := range doc.Findings {
				if f.Container == nil {
					t.Errorf("a watched report holds a daemon finding %s", f.RuleID)
				}
			}
		}
		if !strings.Contains(out.String(), `"ruleId":"RT1005"`) {
			t.Errorf("the watched container's SYS_ADMIN is not reported:\n%s", out.String())
		}
	})
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
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

func waitUntil(t *testing.T, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestAuditRequireSignatureUsage(t *testing.T) {
	sock := "unix://" + filepath.Join(t.TempDir(), "no.sock")
	r := run(t, "", "audit", "--host", sock, "--key", "cosign.pub")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "--key is for --require-signature") {
		t.Errorf("stderr does not name the misuse:\n%s", r)
	}
	r = run(t, "", "audit", "--host", sock, "--require-signature", "--key", filepath.Join(t.TempDir(), "missing.pub"))
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "--key") {
		t.Errorf("stderr does not name the unreadable key:\n%s", r)
	}
}

// TestAuditRequireSignatureCLIDocker audits a container of a locally
// imported image: it has no registry digest, so its signatures cannot be
// verified and --require-signature reports it (exit 1), never a pass.
func TestAuditRequireSignatureCLIDocker(t *testing.T) {
	dockerOrSkip(t)
	image := sleeperImage(t)
	name := strings.TrimSuffix(strings.ReplaceAll(image, ":", "-"), "-test") + "-sig"
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	dockerRun(t, "create", "--name", name, image, "/app")
	key := trusttest.NewKey(t)

	r := run(t, "", "audit", "--all", "--container", name, "--no-drift", "--require-signature", "--key", key.PubPath, "--format", "json")
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, `"ruleId": "RT1106"`) || !strings.Contains(r.stdout, "has no registry digest") {
		t.Errorf("want RT1106 for an image without a registry digest:\n%s", r.stdout)
	}
	r = run(t, "", "audit", "--all", "--container", name, "--no-drift", "--format", "json")
	if strings.Contains(r.stdout, `"ruleId": "RT1106"`) {
		t.Errorf("RT1106 without --require-signature:\n%s", r.stdout)
	}
}

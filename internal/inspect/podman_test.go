package inspect_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/inspect"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/rules/all"
)

// The podman peer tests: podman (from apt) creates containers with risky
// flags, and its own `podman inspect` output, and the inspect output of
// its Docker-compatible Engine API, fed to shipshape give the findings.
// Containers are created, never started, from an image imported from a
// one-file tar, so that no registry is needed. Podman runs with
// `--runtime runc` (crun is not usable on every CI host).

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// podman returns a runner for podman, or skips the test when podman is
// not installed or not working and CI is unset.
func podman(t *testing.T) func(args ...string) []byte {
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
		t.Skipf("skipping: podman is not usable (%v); install it with apt-get install podman", err)
	}
	return func(args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, path, args...).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
		return out
	}
}

func uniqueID(t *testing.T) string {
	t.Helper()
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		t.Fatal(err)
	}
	return "shipshape-peer-" + hex.EncodeToString(rnd[:])
}

// importImage imports a root filesystem of one file as a local image and
// removes it when the test ends.
func importImage(t *testing.T, run func(args ...string) []byte, id string) string {
	t.Helper()
	rootfs := imagetest.Tar(t, imagetest.File("x", "shipshape\n").WithMode(0o755))
	tarPath := imagetest.FileAt(t, filepath.Join(t.TempDir(), "rootfs.tar"), string(rootfs))
	image := "localhost/" + id + ":test"
	run("import", tarPath, image)
	t.Cleanup(func() { _ = exec.Command("podman", "rmi", "-f", image).Run() })
	return image
}

// shortDir is a temporary directory with a path short enough for a unix
// socket.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "ssp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}

// create creates (does not start) a container and removes it at the end.
func create(t *testing.T, run func(args ...string) []byte, name, image string, flags ...string) {
	t.Helper()
	args := append([]string{"create", "--runtime", "runc", "--name", name}, flags...)
	run(append(args, image, "/x")...)
	t.Cleanup(func() { _ = exec.Command("podman", "rm", "-f", name).Run() })
}

// want checks that each rule reports the container, with a message that
// contains the text given.
func want(t *testing.T, fs []rule.Finding, container string, ruleText map[string]string) {
	t.Helper()
	for id, text := range ruleText {
		ok := false
		for _, f := range fs {
			ok = ok || f.RuleID == id && f.Suppression == nil && strings.Contains(f.Message, `"`+container+`"`) && strings.Contains(f.Message, text)
		}
		if !ok {
			var got []string
			for _, f := range fs {
				got = append(got, f.RuleID+" "+f.Message)
			}
			t.Errorf("%s not reported for %s (with %q); findings:\n%s", id, container, text, strings.Join(got, "\n"))
		}
	}
}

func registry(t *testing.T) *rule.Registry {
	t.Helper()
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestPodmanInspect: `podman create --privileged --cap-add SYS_ADMIN -v
// <socket>:/var/run/docker.sock`, then `podman inspect`, gives RT1003,
// RT1020 and (for the unprivileged twin, where SYS_ADMIN is not hidden by
// --privileged) RT1005, both through the loader and the whole lint run.
func TestPodmanInspect(t *testing.T) {
	run := podman(t)
	id := uniqueID(t)
	image := importImage(t, run, id)
	// The mounted socket: any path works for podman; the name is what
	// tells shipshape it is a runtime API socket.
	sock := filepath.Join(shortDir(t), "podman.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	priv, caps := id+"-priv", id+"-caps"
	create(t, run, priv, image, "--privileged", "--cap-add", "SYS_ADMIN", "-v", sock+":/var/run/docker.sock")
	create(t, run, caps, image, "--cap-add", "SYS_ADMIN", "-v", sock+":/var/run/docker.sock")
	out := run("inspect", priv, caps)

	reg := registry(t)
	p, err := inspect.Load("podman-inspect.json", out)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Specs) != 2 {
		t.Fatalf("%d containers in the inspect output, want 2", len(p.Specs))
	}
	fs := engine.LintRuntime(context.Background(), p, reg, nil, now)
	want(t, fs, priv, map[string]string{"RT1003": "privileged", "RT1020": "podman.sock"})
	want(t, fs, caps, map[string]string{"RT1005": "SYS_ADMIN", "RT1020": "podman.sock"})

	// The same document as a file: recognised by content and linted.
	file := filepath.Join(t.TempDir(), "podman-inspect.json")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	res := engine.Lint(context.Background(), engine.LintOptions{Paths: []string{file}, Rules: reg, Configs: config.NewFinder(reg), Now: now})
	if res.InputErrors != 0 {
		t.Fatalf("lint %s: %+v", file, res.Notifications)
	}
	want(t, res.Findings, priv, map[string]string{"RT1003": "privileged", "RT1020": "podman.sock"})
	want(t, res.Findings, caps, map[string]string{"RT1005": "SYS_ADMIN", "RT1020": "podman.sock"})
}

// TestPodmanEngineAPI starts podman's Docker-compatible API service,
// creates a container that mounts that very socket as
// /var/run/docker.sock, and lints the Engine API's inspect answer
// (GET /containers/{name}/json), as a Docker client would get it.
func TestPodmanEngineAPI(t *testing.T) {
	run := podman(t)
	id := uniqueID(t)
	image := importImage(t, run, id)
	sock := filepath.Join(shortDir(t), "podman.sock")
	svc := exec.Command("podman", "system", "service", "--time=0", "unix://"+sock)
	var svcLog bytes.Buffer
	svc.Stdout, svc.Stderr = &svcLog, &svcLog
	if err := svc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = svc.Process.Kill()
		_ = svc.Wait()
	})
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
	get := func(path string) ([]byte, int, error) {
		resp, err := client.Get("http://podman" + path)
		if err != nil {
			return nil, 0, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return b, resp.StatusCode, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, code, err := get("/_ping"); err == nil && code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("podman system service did not answer on %s:\n%s", sock, svcLog.String())
		}
		time.Sleep(100 * time.Millisecond)
	}

	name := id + "-api"
	create(t, run, name, image, "--privileged", "--cap-add", "SYS_ADMIN", "-v", sock+":/var/run/docker.sock")
	body, code, err := get("/v1.41/containers/" + name + "/json")
	if err != nil || code != http.StatusOK {
		t.Fatalf("GET /containers/%s/json: %d %v\n%s", name, code, err, body)
	}
	p, err := inspect.Load("engine-api.json", body)
	if err != nil {
		t.Fatalf("Engine API inspect: %v\n%s", err, body)
	}
	s := p.Specs[0]
	if s.Name != name || !s.Privileged || !s.MACReported {
		t.Errorf("model: name %q privileged %v AppArmorProfile reported %v", s.Name, s.Privileged, s.MACReported)
	}
	fs := engine.LintRuntime(context.Background(), p, registry(t), nil, now)
	want(t, fs, name, map[string]string{"RT1003": "privileged", "RT1020": "podman.sock"})
}

package engine_test

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
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/live"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/rules/all"
)

// The audit engine tests run against the real Docker Engine: an image
// FROM scratch holding a static test program (testdata/auditapp), started
// with risky flags, with a hardened set, with a failing healthcheck, and
// drifting its filesystem after start; a --privileged container is only
// created (these hosts refuse to start one) and audited with All.

// docker returns a runner for the docker CLI, or skips when there is no
// engine and CI is unset.
func docker(t *testing.T) func(args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", "version", "--format", "{{.Server.Version}}").CombinedOutput()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the Docker Engine is not usable: %v\n%s", err, out)
		}
		t.Skipf("skipping: no Docker Engine (%v); these tests run with CI set", err)
	}
	return func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
}

func unique(t *testing.T, prefix string) string {
	t.Helper()
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b[:])
}

// auditImage builds the test program statically and imports an image
// holding it as /app and /bin/sh, with an /etc/passwd and a dpkg database
// to drift from; the image is removed when the test ends.
func auditImage(t *testing.T, run func(args ...string) string, id string) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "app")
	build := exec.Command("go", "build", "-o", bin, "./testdata/auditapp")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the test program: %v\n%s", err, out)
	}
	prog, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range []string{"bin", "etc", "tmp", "usr", "usr/local", "usr/local/bin", "var", "var/lib", "var/lib/dpkg"} {
		mode := int64(0o755)
		if d == "tmp" {
			mode = 0o1777
		}
		_ = tw.WriteHeader(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: mode})
	}
	files := []struct {
		name string
		mode int64
		data []byte
	}{
		{"app", 0o755, prog}, {"bin/sh", 0o755, prog},
		{"etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/bin/sh\n")},
		{"var/lib/dpkg/status", 0o644, []byte("Package: base-files\nStatus: install ok installed\n")},
	}
	for _, f := range files {
		_ = tw.WriteHeader(&tar.Header{Name: f.name, Typeflag: tar.TypeReg, Mode: f.mode, Size: int64(len(f.data))})
		_, _ = tw.Write(f.data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(dir, "rootfs.tar")
	if err := os.WriteFile(tarPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	image := id + ":test"
	run("import", tarPath, image)
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", image).Run() })
	return image
}

// container runs (or with create, creates) a container removed at the end.
func container(t *testing.T, run func(args ...string) string, verb, name string, args ...string) {
	t.Helper()
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", "-v", name).Run() })
	run(append([]string{verb, "--name", name}, args...)...)
}

func audit(t *testing.T, o engine.AuditOptions) *engine.Result {
	t.Helper()
	reg, err := all.Registry()
	if err != nil {
		t.Fatal(err)
	}
	o.Rules, o.Config = reg, config.Default()
	res, err := engine.Audit(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Incomplete() != "" {
		t.Fatalf("audit incomplete: %s %+v", res.Incomplete(), res.Notifications)
	}
	return res
}

// of returns a container's unsuppressed findings by rule.
func of(res *engine.Result, name string) map[string][]rule.Finding {
	out := map[string][]rule.Finding{}
	for _, f := range res.Findings {
		if f.Container != nil && f.Container.Name == name && f.Suppression == nil {
			out[f.RuleID] = append(out[f.RuleID], f)
		}
	}
	return out
}

func wantRules(t *testing.T, got map[string][]rule.Finding, name string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if len(got[id]) == 0 {
			t.Errorf("%s: no %s finding; got %v", name, id, keys(got))
		}
	}
}

func quietRules(t *testing.T, got map[string][]rule.Finding, name string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if len(got[id]) > 0 {
			t.Errorf("%s: unexpected %s: %s", name, id, got[id][0].Message)
		}
	}
}

func keys(m map[string][]rule.Finding) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// waitFor polls a container's inspect field until it equals want.
func waitFor(t *testing.T, name, format, want string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		out, _ := exec.Command("docker", "inspect", "--format", format, name).Output()
		if strings.TrimSpace(string(out)) == want {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("%s: %s never became %q", name, format, want)
}

func TestAuditDocker(t *testing.T) {
	run := docker(t)
	id := unique(t, "shipshape-audit")
	image := auditImage(t, run, id)

	composeDir := t.TempDir()
	composeFile := filepath.Join(composeDir, "compose.yaml")
	composeSrc := "services:\n  web:\n    image: " + image + "\n    cap_add:\n      - NET_ADMIN\n    security_opt:\n      - seccomp=unconfined\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n"
	if err := os.WriteFile(composeFile, []byte(composeSrc), 0o644); err != nil {
		t.Fatal(err)
	}
	risky, hardened, sick, priv := id+"-risky", id+"-hardened", id+"-sick", id+"-priv"
	container(t, run, "run", risky, "-d", "--cap-add", "NET_ADMIN", "--security-opt", "seccomp=unconfined",
		"-v", "/var/run/docker.sock:/var/run/docker.sock", "--pid", "host",
		"--label", "com.docker.compose.project=p", "--label", "com.docker.compose.service=web",
		"--label", "com.docker.compose.project.config_files="+composeFile, image, "/app", "drift")
	container(t, run, "run", hardened, "-d", "--user", "10001:10001", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
		"--read-only", "--memory", "64m", "--cpus", "0.5", "--pids-limit", "64", "--restart", "on-failure:3",
		"--health-cmd", "ok", "--health-interval", "1s", "--log-driver", "json-file", image, "/app")
	container(t, run, "run", sick, "-d", "--user", "10001", "--health-cmd", "fail", "--health-interval", "1s", "--health-retries", "1", image, "/app")
	container(t, run, "create", priv, "--privileged", image, "/app")
	waitFor(t, sick, "{{.State.Health.Status}}", "unhealthy")
	waitFor(t, hardened, "{{.State.Health.Status}}", "healthy")
	// The drift is written by the container's process after start.
	deadline := time.Now().Add(30 * time.Second)
	for exec.Command("docker", "cp", risky+":/tmp/ready", t.TempDir()).Run() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the risky container never wrote its drift")
		}
		time.Sleep(300 * time.Millisecond)
	}

	t.Run("running", func(t *testing.T) {
		res := audit(t, engine.AuditOptions{Names: []string{risky, hardened, sick}})
		r := of(res, risky)
		wantRules(t, r, risky, "RT1005", "RT1007", "RT1009", "RT1016", "RT1020", "RT1110", "RT1111", "RT1112", "RT1113")
		if f := r["RT1111"]; len(f) > 0 && !strings.Contains(f[0].Message, "/tmp/.backdoor") {
			t.Errorf("RT1111 names no path: %s", f[0].Message)
		}
		if f := r["RT1110"]; len(f) > 0 && (!strings.Contains(f[0].Message, "/usr/local/bin/miner") || strings.Contains(f[0].Message, "docker.sock")) {
			t.Errorf("RT1110 wants the dropped binary and not the socket's mount point: %s", f[0].Message)
		}
		// Located at the container, and at the compose line that set it.
		for _, f := range r["RT1007"] {
			c := f.Container
			if c.ID == "" || !strings.HasPrefix(c.ImageDigest, "sha256:") || c.Service != "web" || c.Project != "p" || f.File != "container/"+risky {
				t.Errorf("RT1007 location: %+v at %s", c, f.File)
			}
			if len(f.Related) == 0 || f.Related[0].File != composeFile || f.Related[0].Range.Line != 7 || !strings.Contains(f.Related[0].Message, "set here") {
				t.Errorf("RT1007 related: want %s:7, got %+v", composeFile, f.Related)
			}
		}
		h := of(res, hardened)
		quietRules(t, h, hardened, "RT1003", "RT1004", "RT1005", "RT1006", "RT1007", "RT1009", "RT1010", "RT1012", "RT1013", "RT1014",
			"RT1031", "RT1101", "RT1102", "RT1104", "RT1110", "RT1111", "RT1112", "RT1113")
		wantRules(t, of(res, sick), sick, "RT1104")
	})

	t.Run("process facts", func(t *testing.T) {
		// What the kernel says about PID 1, read from the host's /proc.
		c, err := engineapi.New(engineapi.DefaultHost(), engineapi.TLS{})
		if err != nil {
			t.Fatal(err)
		}
		snap, _, err := c.Snapshot(context.Background(), engineapi.Options{Names: []string{hardened, risky}})
		if err != nil {
			t.Fatal(err)
		}
		p, errs := live.Build(snap)
		if len(errs) > 0 || len(p.Specs) != 2 {
			t.Fatalf("build: %v (%d specs)", errs, len(p.Specs))
		}
		h, r := p.Specs[0].Live, p.Specs[1].Live
		if h.PID1UID != 10001 || r.PID1UID != 0 {
			t.Errorf("PID 1 effective UIDs: hardened %d, risky %d; want 10001, 0", h.PID1UID, r.PID1UID)
		}
		if os.Geteuid() == 0 && (h.Seccomp != "filter" || r.Seccomp != "disabled") {
			t.Errorf("seccomp in force: hardened %q, risky %q; want filter, disabled", h.Seccomp, r.Seccomp)
		}
		if h.Health != "healthy" || !h.Running || h.ImageDigest == "" {
			t.Errorf("hardened live state: %+v", h)
		}
	})

	t.Run("created privileged with all", func(t *testing.T) {
		res := audit(t, engine.AuditOptions{All: true, NoDrift: true})
		p := of(res, priv)
		wantRules(t, p, priv, "RT1003")
		quietRules(t, p, priv, "RT1101", "RT1102", "RT1104")
		if len(of(res, risky)) == 0 {
			t.Errorf("--all left out the running containers")
		}
		daemon := 0
		for _, f := range res.Findings {
			if f.Container == nil && strings.HasPrefix(f.File, "daemon/") || strings.HasSuffix(f.File, "daemon.json") {
				daemon++
			}
		}
		if daemon == 0 {
			t.Errorf("no daemon finding on a default daemon")
		}
	})

	t.Run("daemon.json lines", func(t *testing.T) {
		cfg := filepath.Join(t.TempDir(), "daemon.json")
		if err := os.WriteFile(cfg, []byte("{\n  \"icc\": true,\n  \"userland-proxy\": true\n}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		res := audit(t, engine.AuditOptions{Names: []string{hardened}, NoDrift: true, DaemonConfig: cfg})
		at := map[string]int{}
		for _, f := range res.Findings {
			if f.File == cfg {
				at[f.RuleID] = f.Range.Line
			}
		}
		if at["RT1204"] != 3 {
			t.Errorf("RT1204 should be at %s:3 (userland-proxy), got %v", cfg, at)
		}
	})

	t.Run("running only by default", func(t *testing.T) {
		res := audit(t, engine.AuditOptions{NoDrift: true})
		if len(of(res, priv)) > 0 {
			t.Errorf("a created container was audited without All")
		}
	})

	t.Run("missing container", func(t *testing.T) {
		reg, _ := all.Registry()
		_, err := engine.Audit(context.Background(), engine.AuditOptions{Names: []string{id + "-nope"}, Rules: reg, Config: config.Default()})
		if err == nil {
			t.Fatal("a container that does not exist audited without error")
		}
	})

	t.Run("json", func(t *testing.T) {
		res := audit(t, engine.AuditOptions{Names: []string{risky}})
		b, err := json.Marshal(res.Findings[0].Container)
		if err != nil || !strings.Contains(string(b), `"imageDigest":"sha256:`) {
			t.Errorf("container location JSON: %s %v", b, err)
		}
	})
}

func TestAuditUnreachable(t *testing.T) {
	reg, _ := all.Registry()
	_, err := engine.Audit(context.Background(), engine.AuditOptions{Host: "unix://" + filepath.Join(t.TempDir(), "none.sock"), Rules: reg})
	if err == nil || !strings.Contains(err.Error(), "cannot reach the engine") {
		t.Fatalf("unreachable engine: %v", err)
	}
}

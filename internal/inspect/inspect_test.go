package inspect

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

const sample = `[
    {
        "Id": "abc",
        "Name": "/web",
        "Image": "sha256:1234",
        "HostConfig": {
            "Binds": ["/var/run/docker.sock:/var/run/docker.sock", "/srv:/data:ro,rshared"],
            "NetworkMode": "host",
            "PortBindings": {"5432/tcp": [{"HostIp": "", "HostPort": "5432"}], "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "53"}]},
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
            "CapAdd": ["CAP_SYS_ADMIN"],
            "CapDrop": null,
            "PidMode": "host",
            "Privileged": true,
            "ReadonlyRootfs": false,
            "SecurityOpt": ["seccomp=unconfined"],
            "Tmpfs": {"/run": "rw"},
            "Memory": 536870912,
            "NanoCpus": 0,
            "CpuQuota": 50000,
            "CpuPeriod": 100000,
            "PidsLimit": null,
            "Devices": [{"PathOnHost": "/dev/kvm", "PathInContainer": "/dev/kvm", "CgroupPermissions": "rwm"}],
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 65536}]
        },
        "Mounts": [],
        "Config": {
            "User": "",
            "Env": ["PATH=/usr/bin", "POSTGRES_PASSWORD=example"],
            "Image": "postgres:16",
            "Healthcheck": {"Test": ["NONE"]}
        }
    }
]
`

func TestSample(t *testing.T) {
	p, err := Load("inspect.json", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Specs) != 1 {
		t.Fatalf("%d specs", len(p.Specs))
	}
	s := p.Specs[0]
	if s.Name != "web" || s.Image != "postgres:16" || s.Self.Range.Line != 2 {
		t.Errorf("name %q image %q line %d", s.Name, s.Image, s.Self.Range.Line)
	}
	if !s.Privileged || !s.HasCap("SYS_ADMIN") || s.CapAdd[0] != "SYS_ADMIN" || s.NetworkMode != "host" || s.PidMode != "host" {
		t.Errorf("%+v", s)
	}
	if got := s.Pos(container.KeyPrivileged).Range.Line; got != 14 {
		t.Errorf("privileged at line %d, want 14", got)
	}
	if len(s.Mounts) != 2 || s.Mounts[0].Type != "bind" || s.Mounts[1].Propagation != "rshared" || !s.Mounts[1].ReadOnly || s.Mounts[0].Where.Range.Line != 7 {
		t.Errorf("mounts %+v", s.Mounts)
	}
	if len(s.Ports) != 2 || s.Ports[1].ContainerPort != "5432" || s.Ports[1].HostIP != "" || s.Ports[0].HostIP != "127.0.0.1" || s.Ports[0].Protocol != "udp" {
		t.Errorf("ports %+v", s.Ports)
	}
	if s.MemoryBytes != 512<<20 || s.NanoCPUs != 5e8 || s.PidsLimit != 0 {
		t.Errorf("limits %d %d %d", s.MemoryBytes, s.NanoCPUs, s.PidsLimit)
	}
	if s.Healthcheck == nil || !s.Healthcheck.Disabled || s.Restart.Name != "on-failure" || s.Restart.MaxRetries != 3 {
		t.Errorf("health %+v restart %+v", s.Healthcheck, s.Restart)
	}
	if len(s.Devices) != 1 || s.Devices[0] != "/dev/kvm" || len(s.Ulimits) != 1 || s.Ulimits[0].Hard != 65536 || len(s.Tmpfs) != 1 {
		t.Errorf("devices %v ulimits %v tmpfs %v", s.Devices, s.Ulimits, s.Tmpfs)
	}
	if len(s.Env) != 2 || s.Env[1].Name != "POSTGRES_PASSWORD" || !s.Env[1].Literal {
		t.Errorf("env %+v", s.Env)
	}
	// A single object works as well.
	obj := strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(sample), "[")), "]")
	if p, err := Load("one.json", []byte(obj)); err != nil || len(p.Specs) != 1 {
		t.Errorf("object: %v", err)
	}
}

func TestBadDocuments(t *testing.T) {
	for name, text := range map[string]string{
		"empty":     "",
		"truncated": "[\n  {\"HostConfig\": {\n",
		"garbage":   "[\n  {\"HostConfig\": {}},\n  oops\n]",
		"image":     `[{"Id": "sha256:1", "RepoTags": []}]`,
		"scalar":    `42`,
	} {
		p, err := Load(name, []byte(text))
		if err == nil {
			t.Errorf("%s: no error, project %+v", name, p)
			continue
		}
		if name == "garbage" && !strings.Contains(err.Error(), "line 3") {
			t.Errorf("%s: %v, want line 3", name, err)
		}
	}
	if !Looks([]byte(sample)) || Looks([]byte(`{"services": {}}`)) {
		t.Error("Looks")
	}
}

// TestRealEngine creates (does not start) a container with risky flags from
// an image built FROM scratch, inspects it with the engine and checks the
// model.
func TestRealEngine(t *testing.T) {
	tool := ""
	for _, c := range []string{"docker", "podman"} {
		if _, err := exec.LookPath(c); err == nil {
			if exec.Command(c, "info").Run() == nil {
				tool = c
				break
			}
		}
	}
	if tool == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but neither docker nor podman works")
		}
		t.Skip("skipping: no working docker or podman")
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	id := "shipshape-inspect-" + hex.EncodeToString(rnd[:])
	dir := imagetest.Tree(t, map[string]string{"x": "x", "Dockerfile": "FROM scratch\nCOPY x /x\n"})
	run := func(args ...string) []byte {
		t.Helper()
		out, err := exec.Command(tool, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, out)
		}
		return out
	}
	image := id + ":test"
	run("build", "-q", "-t", image, dir)
	t.Cleanup(func() { _ = exec.Command(tool, "rmi", "-f", image).Run() })
	run("create", "--name", id, "--privileged", "--cap-add", "SYS_ADMIN",
		"-v", "/var/run/docker.sock:/var/run/docker.sock", "-p", "5432:5432", "--pid", "host", image, "/x")
	t.Cleanup(func() { _ = exec.Command(tool, "rm", "-f", id).Run() })
	out := run("inspect", id)
	p, err := Load("inspect.json", out)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Specs) != 1 {
		t.Fatalf("%d specs", len(p.Specs))
	}
	s := p.Specs[0]
	if s.Name != id || !s.Privileged || !s.HasCap("SYS_ADMIN") || s.PidMode != "host" || s.Image != image {
		t.Errorf("spec %+v", s)
	}
	var sock bool
	for _, m := range s.Mounts {
		sock = sock || m.Source == "/var/run/docker.sock" && m.Type == "bind" && !m.ReadOnly
	}
	if !sock {
		t.Errorf("mounts %+v", s.Mounts)
	}
	if len(s.Ports) != 1 || s.Ports[0].ContainerPort != "5432" || s.Ports[0].HostPort != "5432" || s.Ports[0].HostIP != "" {
		t.Errorf("ports %+v", s.Ports)
	}
	if l := s.Pos(container.KeyPrivileged).Range.Line; l <= 1 {
		t.Errorf("privileged located at line %d", l)
	}
}

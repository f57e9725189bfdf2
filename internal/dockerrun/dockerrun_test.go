package dockerrun

import (
	"os"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
)

func load(t *testing.T, path string) *container.Project {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	kind, ok := KindByName(path)
	if !ok {
		t.Fatalf("%s: kind not recognised", path)
	}
	return Find(path, data, kind, Options{Dir: "testdata"})
}

func TestScript(t *testing.T) {
	p := load(t, "testdata/run.sh")
	if len(p.Specs) != 3 {
		t.Fatalf("%d commands, want 3: %+v", len(p.Specs), p.Specs)
	}
	s := p.Specs[0]
	if s.Self.Range.Line != 4 || s.Name != "db" || s.Image != "postgres:16" {
		t.Errorf("first: line %d name %q image %q", s.Self.Range.Line, s.Name, s.Image)
	}
	if !s.Privileged || !s.HasCap("SYS_ADMIN") || !s.HasCap("NET_ADMIN") || !s.DropsAll() {
		t.Errorf("privileges: %v %v %v", s.Privileged, s.CapAdd, s.CapDrop)
	}
	if got := s.ItemPos(container.KeyCapAdd, "NET_ADMIN").Range.Line; got != 6 {
		t.Errorf("cap NET_ADMIN at line %d, want 6", got)
	}
	if len(s.Mounts) != 3 {
		t.Fatalf("mounts %+v", s.Mounts)
	}
	if m := s.Mounts[0]; m.Type != "bind" || m.Source != "/var/run/docker.sock" || !m.ReadOnly || m.Where.Range.Line != 7 {
		t.Errorf("socket %+v", m)
	}
	if m := s.Mounts[1]; m.Type != "bind" || m.Source != "/etc" || m.Target != "/host/etc" || m.Propagation != "rshared" {
		t.Errorf("--mount %+v", m)
	}
	if m := s.Mounts[2]; m.Type != "tmpfs" || m.Target != "/tmp" {
		t.Errorf("tmpfs %+v", m)
	}
	want := []container.Port{
		{HostIP: "127.0.0.1", HostPort: "5432", ContainerPort: "5432", Protocol: "tcp"},
		{HostPort: "8080", ContainerPort: "80", Protocol: "udp"},
		{ContainerPort: "9000", Protocol: "tcp"},
	}
	if len(s.Ports) != len(want) {
		t.Fatalf("ports %+v", s.Ports)
	}
	for i, w := range want {
		g := s.Ports[i]
		g.Where = container.Pos{}
		if g != w {
			t.Errorf("port %d = %+v, want %+v", i, g, w)
		}
	}
	env := map[string]container.EnvVar{}
	for _, e := range s.Env {
		env[e.Name] = e
	}
	if e := env["POSTGRES_PASSWORD"]; e.Value != "example" || !e.Literal || e.Where.Range.Line != 10 {
		t.Errorf("POSTGRES_PASSWORD %+v", e)
	}
	if e := env["FROM_HOST"]; e.Literal {
		t.Errorf("FROM_HOST %+v", e)
	}
	if e := env["TOKEN"]; e.Literal || e.Value != "$TOKEN" {
		t.Errorf("TOKEN %+v", e)
	}
	if s.MemoryBytes != 512<<20 || s.NanoCPUs != 1.5e9 || s.PidsLimit != 100 {
		t.Errorf("limits %d %d %d", s.MemoryBytes, s.NanoCPUs, s.PidsLimit)
	}
	if v, _ := s.SecurityOptValue("seccomp"); v != "unconfined" || !s.ReadOnly {
		t.Errorf("security %v read-only %v", s.SecurityOpt, s.ReadOnly)
	}
	if s.NetworkMode != "host" || s.PidMode != "host" || s.IpcMode != "host" || s.UtsMode != "host" || s.UsernsMode != "host" || s.CgroupParent != "/custom" {
		t.Errorf("namespaces %q %q %q %q %q %q", s.NetworkMode, s.PidMode, s.IpcMode, s.UtsMode, s.UsernsMode, s.CgroupParent)
	}
	if len(s.Devices) != 1 || s.Devices[0] != "/dev/fuse" || s.User != "0" {
		t.Errorf("devices %v user %q", s.Devices, s.User)
	}
	if s.Healthcheck == nil || !s.Healthcheck.Disabled || s.Restart.Name != "on-failure" || s.Restart.MaxRetries != 5 {
		t.Errorf("health %+v restart %+v", s.Healthcheck, s.Restart)
	}
	if len(s.Ulimits) != 1 || s.Ulimits[0].Soft != 1024 || s.Ulimits[0].Hard != 4096 {
		t.Errorf("ulimits %+v", s.Ulimits)
	}
	if got := s.Pos(container.KeyPid).Range.Line; got != 13 {
		t.Errorf("pid at %d", got)
	}

	s = p.Specs[1]
	if s.Self.Range.Line != 17 || s.Image != "alpine:3.20" {
		t.Errorf("command substitution: line %d image %q", s.Self.Range.Line, s.Image)
	}
	s = p.Specs[2]
	if s.Image != "nginx" || s.Healthcheck == nil || s.Healthcheck.Test[1] != "curl -f localhost" || len(s.Ports) != 1 || s.Ports[0].HostPort != "80" {
		t.Errorf("podman: %+v", s)
	}
	var pragma, trailing bool
	for _, c := range p.Comments {
		pragma = pragma || c.Line == 3 && !c.Trailing
		trailing = trailing || c.Line == 17 && c.Trailing
	}
	if !pragma || !trailing {
		t.Errorf("comments %+v", p.Comments)
	}
}

func TestMakefile(t *testing.T) {
	p := load(t, "testdata/Makefile")
	if len(p.Specs) != 2 {
		t.Fatalf("%d commands: %+v", len(p.Specs), p.Specs)
	}
	s := p.Specs[0]
	if s.Self.Range.Line != 4 || s.Image != "${IMAGE}" || s.NetworkMode != "${NET}" || len(s.Mounts) != 1 || s.Mounts[0].Target != "/src" {
		t.Errorf("recipe: %+v", s)
	}
	if s := p.Specs[1]; s.Self.Range.Line != 8 || !s.Privileged || s.Image != "$IMG" {
		t.Errorf("rule-line recipe: %+v", s)
	}
}

func TestWorkflows(t *testing.T) {
	p := load(t, "testdata/.github/workflows/ci.yml")
	if len(p.Specs) != 2 {
		t.Fatalf("%d commands", len(p.Specs))
	}
	if s := p.Specs[0]; s.Self.Range.Line != 8 || len(s.Mounts) != 1 || s.Mounts[0].Source != "/" {
		t.Errorf("run step: line %d %+v", s.Self.Range.Line, s.Mounts)
	}
	if s := p.Specs[1]; s.Self.Range.Line != 12 || s.Image != "postgres:16" || s.Ports[0].Where.Range.Line != 13 {
		t.Errorf("block step: line %d image %q ports %+v", s.Self.Range.Line, s.Image, s.Ports)
	}
	p = load(t, "testdata/.gitlab-ci.yml")
	if len(p.Specs) != 1 || p.Specs[0].Self.Range.Line != 4 || !p.Specs[0].HasCap("SYS_PTRACE") {
		t.Errorf("gitlab: %+v", p.Specs)
	}
}

func TestCommand(t *testing.T) {
	p, err := Command("--docker-run", "docker run --privileged -dit --name=x -eA=b --net=mynet busybox", Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Specs[0]
	if !s.Privileged || s.Name != "x" || s.Image != "busybox" || len(s.Env) != 1 || s.Env[0].Value != "b" || len(s.Networks) != 1 || s.Networks[0] != "mynet" {
		t.Errorf("%+v", s)
	}
	if _, err := Command("x", "ls -l", Options{}); err != ErrNotDockerRun {
		t.Errorf("ls: err = %v", err)
	}
	if _, err := Command("x", "docker run 'unterminated", Options{}); err == nil {
		t.Error("want a parse error")
	}
	p, _ = Command("x", "docker run --privileged=false --read-only=false img", Options{})
	if s := p.Specs[0]; s.Privileged || s.ReadOnly {
		t.Errorf("=false: %+v", s)
	}
}

func TestKinds(t *testing.T) {
	for path, want := range map[string]Kind{
		"a/b.sh": Script, "Makefile": Makefile, "x/rules.mk": Makefile, ".github/workflows/ci.yaml": Workflow,
		"repo/.gitlab-ci.yml": Workflow,
	} {
		if got, ok := KindByName(path); !ok || got != want {
			t.Errorf("%s: %v %v", path, got, ok)
		}
	}
	if _, ok := KindByName("compose.yaml"); ok {
		t.Error("compose.yaml is not a script")
	}
	if !HasShellShebang([]byte("#!/usr/bin/env bash\n")) || !HasShellShebang([]byte("#!/bin/sh -e\n")) || HasShellShebang([]byte("#!/usr/bin/python3\n")) {
		t.Error("shebang detection")
	}
}

// TestBrokenScript still finds commands in a script the parser rejects as a
// whole.
func TestBrokenScript(t *testing.T) {
	src := "if then fi (\ndocker run --privileged alpine\n"
	p := Find("x.sh", []byte(src), Script, Options{})
	if len(p.Specs) != 1 || p.Specs[0].Self.Range.Line != 2 {
		t.Errorf("%+v", p.Specs)
	}
}

func FuzzFind(f *testing.F) {
	f.Add("docker run -it --rm -v a:b -p 1:2 img", "script")
	f.Add("\tdocker run $(X) $$Y", "makefile")
	f.Add("jobs:\n  a:\n    steps:\n      - run: docker run x\n", "workflow")
	f.Fuzz(func(t *testing.T, src, kind string) {
		Find("f", []byte(src), Kind(kind), Options{})
	})
}

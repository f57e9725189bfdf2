package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

// fixStack has the shape of examples/insecure-node/docker-compose.yml (an
// app publishing its port on every interface, a postgres with its
// password in the environment, no hardening at all) on images that can be
// made offline: the example builds its app from node and runs the postgres
// image, neither of which can be pulled here, and it is privileged, which
// this engine refuses to start. The images are the debootstrap base
// imported under the official images' names, so that the fixes use what
// shipshape knows of nginx and postgres (capabilities, paths written,
// POSTGRES_PASSWORD_FILE); each runs sleep in place of its server.
const fixStack = `# Deliberately weak runtime settings, fixed by shipshape fix.
version: "3.8"
services:
  app:
    image: nginx:%[1]s
    command: ["sleep", "infinity"]
    ports:
      - "%[2]d:3000"
    environment:
      NODE_ENV: development
  db:
    image: postgres:%[1]s
    command: ["sleep", "infinity"]
    environment:
      POSTGRES_PASSWORD: example
`

// TestFixedComposeStackComesUp applies every safe and review fix to the
// stack with shipshape fix --apply --level review, brings it up with
// docker-compose, and checks in the running containers what the fixes
// promise: read-only root with a writable /tmp, all capabilities dropped
// but the ones added back, no-new-privileges, memory and pids limits, the
// port on 127.0.0.1 only, and the password read from the secret file. The
// stack is torn down and the images removed afterwards.
func TestFixedComposeStackComesUp(t *testing.T) {
	dc, err := exec.LookPath("docker-compose")
	if err != nil {
		skipOrFail(t, "docker-compose not installed")
	}
	base := bookwormImage(t)
	tag := fmt.Sprintf("shipshape-fixcompose-%d", os.Getpid())
	for _, name := range []string{"nginx:" + tag, "postgres:" + tag} {
		if out, err := exec.Command("docker", "tag", base, name).CombinedOutput(); err != nil {
			t.Fatalf("docker tag: %v\n%s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("docker", "rmi", name).Run() })
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "docker-compose.yml")
	port := 30000 + os.Getpid()%20000
	if err := os.WriteFile(file, []byte(fmt.Sprintf(fixStack, tag, port)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := cli.Execute(context.Background(), []string{"fix", "--apply", "--level", "review", "--fail-on", "none", file}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("shipshape fix --apply: exit %d\n%s", code, errb.String())
	}
	fixed, _ := os.ReadFile(file)
	t.Logf("fixed stack:\n%s", fixed)

	project := "shipshapefix" + fmt.Sprint(os.Getpid())
	compose := func(args ...string) (string, error) {
		cmd := exec.Command(dc, append([]string{"-p", project, "-f", file}, args...)...)
		cmd.Dir = dir
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	t.Cleanup(func() { _, _ = compose("down", "-v", "--timeout", "1") })
	if o, err := compose("up", "-d"); err != nil {
		t.Fatalf("docker-compose up -d after the fix: %v\n%s", err, o)
	}
	for _, svc := range []string{"app", "db"} {
		o, err := compose("ps", "-q", svc)
		id := strings.TrimSpace(o)
		if err != nil || id == "" {
			t.Fatalf("no container for %s: %v\n%s", svc, err, o)
		}
		checkContainer(t, svc, id, port)
	}
}

// checkContainer checks one running container of the fixed stack.
func checkContainer(t *testing.T, svc, id string, port int) {
	t.Helper()
	inspect := func(format string) string {
		b, err := exec.Command("docker", "inspect", "-f", format, id).CombinedOutput()
		if err != nil {
			t.Fatalf("docker inspect %s: %v\n%s", svc, err, b)
		}
		return strings.TrimSpace(string(b))
	}
	exec1 := func(cmd string) (string, error) {
		b, err := exec.Command("docker", "exec", id, "sh", "-c", cmd).CombinedOutput()
		return string(b), err
	}
	want := map[string]string{
		"{{.State.Running}}":               "true",
		"{{.HostConfig.ReadonlyRootfs}}":   "true",
		"{{.HostConfig.Memory}}":           "1073741824",
		"{{.HostConfig.PidsLimit}}":        "512",
		"{{json .HostConfig.CapDrop}}":     `["ALL"]`,
		"{{json .HostConfig.SecurityOpt}}": `["no-new-privileges:true"]`,
	}
	for f, w := range want {
		if got := inspect(f); got != w {
			t.Errorf("%s: %s = %s, want %s", svc, f, got, w)
		}
	}
	if caps := inspect("{{json .HostConfig.CapAdd}}"); !strings.Contains(caps, "SETUID") {
		t.Errorf("%s: cap_add %s lacks what the image needs", svc, caps)
	}
	if o, err := exec1("touch /tmp/ok && ! touch /etc/nope 2>/dev/null"); err != nil {
		t.Errorf("%s: /tmp should be writable and / read-only: %v\n%s", svc, err, o)
	}
	switch svc {
	case "app":
		b := inspect(fmt.Sprintf(`{{json (index .HostConfig.PortBindings "3000/tcp")}}`))
		if !strings.Contains(b, `"HostIp":"127.0.0.1"`) || !strings.Contains(b, fmt.Sprint(port)) {
			t.Errorf("app: port bindings %s, want %d on 127.0.0.1", b, port)
		}
	case "db":
		if o, err := exec1(`test "$(cat "$POSTGRES_PASSWORD_FILE")" = example && test -z "$POSTGRES_PASSWORD"`); err != nil {
			t.Errorf("db: the password should come from the secret file: %v\n%s", err, o)
		}
	}
}

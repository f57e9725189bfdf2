// Package deploy holds deployment files; its test checks that
// compose.yaml, which the README quotes, is a valid compose file whose
// commands the shipshape CLI accepts and which passes shipshape's own lint.
package deploy

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

var env = map[string]string{
	"SHIPSHAPE_DB_PASSWORD":     "s3cret",
	"SHIPSHAPE_BOOTSTRAP_TOKEN": "sst_bootstrap",
	"DOCKER_GID":                "998",
}

// copyWithToken copies compose.yaml into a temporary directory beside the
// agent.token secret file it names, which an operator creates.
func copyWithToken(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "agent.token"), []byte("sst_agent\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func load(t *testing.T, dir string, env map[string]string) (*types.Project, error) {
	t.Helper()
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, "compose.yaml")}},
		Environment: types.Mapping(env),
	}, func(o *loader.Options) { o.SetProjectName("deploy", true) })
}

// TestComposeFile loads compose.yaml with compose-go (validation and
// consistency checks on) and checks the wiring: PostgreSQL healthy before
// the server, the server on PostgreSQL, the agent on the server and the
// engine socket with its token as a secret. It refuses to load without
// the database password.
func TestComposeFile(t *testing.T) {
	dir := copyWithToken(t)
	p, err := load(t, dir, env)
	if err != nil {
		t.Fatal(err)
	}
	pg, srv, ag := p.Services["postgres"], p.Services["server"], p.Services["agent"]
	if pg.Image != "postgres:15" || srv.Image != "shipshape:dev" || ag.Image != "shipshape:dev" {
		t.Errorf("images: %q %q %q", pg.Image, srv.Image, ag.Image)
	}
	if pg.Environment["POSTGRES_PASSWORD"] == nil || *pg.Environment["POSTGRES_PASSWORD"] != "s3cret" {
		t.Errorf("postgres password not from the environment: %v", pg.Environment)
	}
	if !has(srv.Command, "--database=postgres://shipshape:s3cret@postgres:5432/shipshape?sslmode=disable") {
		t.Errorf("server command %v", srv.Command)
	}
	if d, ok := srv.DependsOn["postgres"]; !ok || d.Condition != types.ServiceConditionHealthy || pg.HealthCheck == nil {
		t.Errorf("the server must wait for a healthy PostgreSQL: %+v, healthcheck %v", srv.DependsOn, pg.HealthCheck)
	}
	if !has(ag.Command, "--server=http://server:8080") || !has(ag.Command, "--token-file=/run/secrets/agent_token") {
		t.Errorf("agent command %v", ag.Command)
	}
	sock := false
	for _, v := range ag.Volumes {
		sock = sock || (v.Source == "/var/run/docker.sock" && v.Target == "/var/run/docker.sock")
	}
	if !sock || len(ag.Secrets) != 1 || ag.Secrets[0].Source != "agent_token" || p.Secrets["agent_token"].File != filepath.Join(dir, "agent.token") {
		t.Errorf("agent volumes %+v secrets %+v", ag.Volumes, ag.Secrets)
	}
	if _, ok := ag.DependsOn["server"]; !ok {
		t.Errorf("agent depends on %+v", ag.DependsOn)
	}
	for _, s := range []types.ServiceConfig{srv, ag} {
		if !s.ReadOnly || s.User != "65532:65532" || !has(s.CapDrop, "ALL") {
			t.Errorf("service %s is not locked down: read_only %v user %q cap_drop %v", s.Name, s.ReadOnly, s.User, s.CapDrop)
		}
	}

	without := map[string]string{"SHIPSHAPE_BOOTSTRAP_TOKEN": "x"}
	if _, err := load(t, dir, without); err == nil || !strings.Contains(err.Error(), "SHIPSHAPE_DB_PASSWORD") {
		t.Errorf("loaded without SHIPSHAPE_DB_PASSWORD: %v", err)
	}
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func run(args ...string) (int, string) {
	var out, errb bytes.Buffer
	code := cli.Execute(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String() + errb.String()
}

// TestComposeCommands: the commands the file runs are commands and flags
// the shipshape CLI accepts (a renamed flag fails here, not at deploy).
func TestComposeCommands(t *testing.T) {
	p, err := load(t, copyWithToken(t), env)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"server", "agent"} {
		args := append([]string(p.Services[name].Command), "--help")
		if code, out := run(args...); code != 0 {
			t.Errorf("%s: shipshape %v: exit %d\n%s", name, args, code, out)
		}
	}
	if code, _ := run("agent", "--server=http://server:8080", "--no-such-flag", "--help"); code == 0 {
		t.Error("an unknown flag passed the same check")
	}
}

// TestComposeLint: the file passes shipshape's own lint at the low gate;
// what it accepts (the agent's Docker socket, the local image tag) is
// suppressed inline with a reason.
func TestComposeLint(t *testing.T) {
	if code, out := run("lint", "--fail-on", "low", "compose.yaml"); code != 0 {
		t.Errorf("shipshape lint --fail-on low compose.yaml: exit %d\n%s", code, out)
	}
}

// TestComposeV1Config: Debian's docker-compose (v1) reads the file too.
func TestComposeV1Config(t *testing.T) {
	bin, err := exec.LookPath("docker-compose")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("docker-compose is not installed (required in CI)")
		}
		t.Skip("docker-compose (v1) is not installed")
	}
	dir := copyWithToken(t)
	cmd := exec.Command(bin, "-f", filepath.Join(dir, "compose.yaml"), "config", "--quiet")
	cmd.Env = append(os.Environ(), "SHIPSHAPE_DB_PASSWORD=s3cret", "SHIPSHAPE_BOOTSTRAP_TOKEN=sst_bootstrap")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
	cmd = exec.Command(bin, "-f", filepath.Join(dir, "compose.yaml"), "config", "--quiet")
	cmd.Env = append(os.Environ(), "SHIPSHAPE_BOOTSTRAP_TOKEN=sst_bootstrap", "SHIPSHAPE_DB_PASSWORD=")
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("docker-compose config accepted the file without the database password:\n%s", out)
	}
}

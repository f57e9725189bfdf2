package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

// TestAgentUsage: what the agent refuses before it starts, with exit 2,
// and an engine that does not answer at start.
func TestAgentUsage(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	if err := os.WriteFile(tok, []byte("sst_x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHIPSHAPE_TOKEN", "")
	t.Setenv("DOCKER_CERT_PATH", dir) // no ca.pem, cert.pem or key.pem to default to
	nowhere := "unix://" + filepath.Join(dir, "no.sock")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"agent", "--token-file", tok}, "server URL"},
		{[]string{"agent", "--server", "ftp://x", "--token-file", tok}, "server URL"},
		{[]string{"agent", "--server", "http://127.0.0.1:1"}, "no API token"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", filepath.Join(dir, "missing")}, "--token-file"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--resync", "1s"}, "too short"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--host", "ssh://h"}, "--host"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--host", nowhere}, "cannot reach the engine"},
		// The TLS flags, as audit takes them.
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--host", nowhere, "--tlsverify"}, "are for a tcp:// engine"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--host", "tcp://127.0.0.1:1",
			"--tlscacert", filepath.Join(dir, "missing-ca.pem")}, "--tlscacert"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--host", "tcp://127.0.0.1:1",
			"--tlscacert", tok}, "no PEM certificate"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--host", "tcp://127.0.0.1:1",
			"--tlscert", filepath.Join(dir, "cert.pem")}, "--tlscert and --tlskey go together"},
		{[]string{"agent", "--server", "http://127.0.0.1:1", "--token-file", tok, "--host", "tcp://127.0.0.1:1",
			"--tlscert", tok, "--tlskey", tok}, "--tlscert/--tlskey"},
	} {
		var out, errb bytes.Buffer
		code := cli.Execute(context.Background(), c.args, strings.NewReader(""), &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errb.String(), c.want)
		}
	}
}

// TestAgentGracefulStop: on the real Docker Engine the agent runs until
// its context ends (SIGINT/SIGTERM in the binary) and then exits 0.
func TestAgentGracefulStop(t *testing.T) {
	if err := exec.Command("docker", "info").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no Docker Engine reachable (required in CI)")
		}
		t.Skip("no Docker Engine reachable")
	}
	t.Setenv("SHIPSHAPE_TOKEN", "sst_x")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(2*time.Second, cancel)
	var out, errb bytes.Buffer
	// The label matches no container: nothing is sent to the (absent) server.
	code := cli.Execute(ctx, []string{"agent", "--server", "http://127.0.0.1:1", "--host", "unix:///var/run/docker.sock",
		"--label", "shipshape.test.none=" + t.Name(), "--no-scan"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(errb.String(), "watching engine") {
		t.Errorf("exit %d, stderr:\n%s", code, errb.String())
	}
}

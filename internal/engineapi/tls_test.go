package engineapi_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/engineapi/enginetest"
)

const dockerSocket = "/var/run/docker.sock"

// dockerOrSkip skips without a Docker Engine unless CI is set.
func dockerOrSkip(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("docker", "version", "--format", "{{.Server.Version}}").CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the Docker Engine is unavailable: %v\n%s", err, out)
		}
		t.Skipf("skipping: no Docker Engine (%v); these tests run with CI set", err)
	}
}

// TestTLSEngine speaks to the real Docker Engine through a TLS proxy that
// demands a client certificate: the right CA and certificate get real
// answers, a wrong CA or no client certificate get none.
func TestTLSEngine(t *testing.T) {
	dockerOrSkip(t)
	host, certs := enginetest.TLSProxy(t, dockerSocket)
	ctx := context.Background()

	c, err := engineapi.New(host, engineapi.TLS{Enabled: true, CAFile: certs.CA, CertFile: certs.Cert, KeyFile: certs.Key})
	if err != nil {
		t.Fatal(err)
	}
	if c.PlainTCP {
		t.Fatal("a TLS engine is not plain TCP")
	}
	if eng, err := c.Ping(ctx); err != nil || eng != "docker" {
		t.Fatalf("Ping = %q, %v", eng, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var i struct{ ServerVersion string }
	if err := json.Unmarshal(info, &i); err != nil || i.ServerVersion == "" {
		t.Fatalf("info names no server version: %v %s", err, info[:min(len(info), 200)])
	}
	want, _ := exec.Command("docker", "version", "--format", "{{.Server.Version}}").Output()
	if i.ServerVersion != strings.TrimSpace(string(want)) {
		t.Fatalf("server version %q through TLS, %q from docker", i.ServerVersion, want)
	}

	// A CA that did not sign the engine's certificate.
	c, err = engineapi.New(host, engineapi.TLS{Enabled: true, CAFile: certs.OtherCA, CertFile: certs.Cert, KeyFile: certs.Key})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Ping(ctx)
	if err == nil || !strings.Contains(err.Error(), "TLS certificate is not trusted by --tlscacert "+certs.OtherCA) {
		t.Fatalf("wrong CA: %v", err)
	}
	// No client certificate: the engine refuses the caller.
	c, err = engineapi.New(host, engineapi.TLS{Enabled: true, CAFile: certs.CA})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(ctx); err == nil {
		t.Fatal("no client certificate: want an error")
	}
	// Plain HTTP to a TLS port gets nothing useful.
	c, err = engineapi.New(host, engineapi.TLS{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(ctx); err == nil {
		t.Fatal("plain HTTP to a TLS engine: want an error")
	}
}

func TestTLSOptions(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []engineapi.TLS{
		{Enabled: true, CAFile: dir + "/missing.pem"},
		{Enabled: true, CertFile: dir + "/cert.pem"},
	} {
		if _, err := engineapi.New("tcp://127.0.0.1:2376", tc); err == nil {
			t.Errorf("%+v: want an error", tc)
		}
	}
	notPEM := dir + "/ca.pem"
	os.WriteFile(notPEM, []byte("nope"), 0o600)
	if _, err := engineapi.New("tcp://127.0.0.1:2376", engineapi.TLS{Enabled: true, CAFile: notPEM}); err == nil {
		t.Error("a CA file without PEM: want an error")
	}
	// The environment, as the docker CLI reads it.
	t.Setenv("DOCKER_TLS_VERIFY", "")
	if engineapi.TLSFromEnv().Enabled {
		t.Error("TLS on without DOCKER_TLS_VERIFY")
	}
	t.Setenv("DOCKER_TLS_VERIFY", "1")
	t.Setenv("DOCKER_CERT_PATH", dir)
	os.WriteFile(dir+"/cert.pem", nil, 0o600)
	os.WriteFile(dir+"/key.pem", nil, 0o600)
	got := engineapi.TLSFromEnv()
	if !got.Enabled || got.CAFile != notPEM || got.CertFile != dir+"/cert.pem" || got.KeyFile != dir+"/key.pem" {
		t.Errorf("TLSFromEnv = %+v", got)
	}
}

package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/engineapi/enginetest"
)

// TestAuditCLITLS audits a real container through an engine served over
// TLS with client certificates (a loopback TLS proxy to the Docker
// socket): with the flags, with docker's environment variables, and with a
// CA that did not sign the engine's certificate (exit 2, said plainly).
func TestAuditCLITLS(t *testing.T) {
	dockerOrSkip(t)
	image := sleeperImage(t)
	name := strings.TrimSuffix(strings.ReplaceAll(image, ":", "-"), "-test") + "-tls"
	startContainer(t, name, "--security-opt", "seccomp=unconfined", image, "/app")
	host, certs := enginetest.TLSProxy(t, "/var/run/docker.sock")
	t.Setenv("DOCKER_TLS_VERIFY", "")
	t.Setenv("DOCKER_HOST", "")

	rt1007 := func(r result) bool {
		t.Helper()
		var doc struct {
			Complete bool
			Findings []struct {
				RuleID    string `json:"ruleId"`
				Message   string
				Container struct{ Name string }
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("JSON: %v\n%s", err, r)
		}
		for _, f := range doc.Findings {
			// Spoken over TLS, the audit's own connection is not the
			// unauthenticated TCP socket RT1209 reports.
			if f.RuleID == "RT1209" && strings.Contains(f.Message, strings.TrimPrefix(host, "tcp://")) {
				t.Errorf("RT1209 for the TLS connection: %s", f.Message)
			}
		}
		for _, f := range doc.Findings {
			if f.RuleID == "RT1007" && f.Container.Name == name {
				return doc.Complete
			}
		}
		return false
	}
	r := run(t, "", "audit", "--host", host, "--tlsverify", "--tlscacert", certs.CA, "--tlscert", certs.Cert, "--tlskey", certs.Key,
		"--container", name, "--format", "json")
	wantCode(t, r, 1)
	if !rt1007(r) {
		t.Fatalf("want RT1007 at %s through TLS:\n%s", name, r)
	}

	r = run(t, "", "audit", "--host", host, "--tlsverify", "--tlscacert", certs.OtherCA, "--tlscert", certs.Cert, "--tlskey", certs.Key,
		"--container", name)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "TLS certificate is not trusted by --tlscacert "+certs.OtherCA) {
		t.Fatalf("want the untrusted certificate named:\n%s", r)
	}
	// Without a client certificate the engine refuses the caller.
	t.Setenv("DOCKER_CERT_PATH", t.TempDir())
	wantCode(t, run(t, "", "audit", "--host", host, "--tlsverify", "--tlscacert", certs.CA, "--container", name), 2)

	// docker's environment: DOCKER_TLS_VERIFY with DOCKER_CERT_PATH.
	t.Setenv("DOCKER_TLS_VERIFY", "1")
	t.Setenv("DOCKER_CERT_PATH", certs.Dir)
	r = run(t, "", "audit", "--host", host, "--container", name, "--format", "json")
	wantCode(t, r, 1)
	if !rt1007(r) {
		t.Fatalf("want RT1007 through DOCKER_TLS_VERIFY:\n%s", r)
	}
	// TLS flags for a unix socket are a usage error.
	r = run(t, "", "audit", "--host", "unix:///var/run/docker.sock", "--tlsverify", "--container", name)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "are for a tcp:// engine") {
		t.Fatalf("want the misuse named:\n%s", r)
	}
}

package cli_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "shipshape test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServerCommand runs `shipshape server` with TLS and a bootstrap
// token, creates a read token with `server token create` on the same
// data directory, uploads an SBOM and queries it over HTTPS, then stops
// it with a cancelled context (SIGTERM's path): exit 0.
func TestServerCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	certFile, keyFile, pool := selfSigned(t, dir)
	boot := "bootstrap-secret-for-tests-0123456789"
	t.Setenv(cli.EnvBootstrapToken, boot)
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Execute(ctx, []string{"server", "--listen", addr, "--data", data, "--vuln-db", "",
			"--tls-cert", certFile, "--tls-key", keyFile}, strings.NewReader(""), io.Discard, &stderr)
	}()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	call := func(method, path, token, body string) (int, string) {
		req, _ := http.NewRequest(method, "https://"+addr+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if code, _ := call("GET", "/healthz", "", ""); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not come up: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	r := run(t, "", "server", "token", "create", "--scope", "read", "--name", "reader", "--data", data)
	wantCode(t, r, 0)
	readTok := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(readTok, "sst_") || len(readTok) < 40 {
		t.Fatalf("token %q", readTok)
	}
	sbomDoc := `{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
		{"type": "library", "name": "jinja2", "version": "2.11.2", "purl": "pkg:pypi/jinja2@2.11.2"}]}`
	digest := "sha256:" + strings.Repeat("ab", 32)
	if code, body := call("POST", "/api/v1/sboms?image=app:1&digest="+digest, boot, sbomDoc); code != 201 {
		t.Fatalf("upload with the bootstrap token: %d %s", code, body)
	}
	if code, body := call("POST", "/api/v1/sboms?image=app:1&digest="+digest, readTok, sbomDoc); code != 403 {
		t.Errorf("upload with a read token: %d %s", code, body)
	}
	if code, body := call("GET", "/api/v1/images/"+digest, readTok, ""); code != 200 || !strings.Contains(body, "jinja2") {
		t.Errorf("image: %d %s", code, body)
	}
	// The secret is not in the database file, only its hash.
	for _, f := range []string{"fleet.db", "fleet.db-wal"} {
		raw, _ := os.ReadFile(filepath.Join(data, f))
		if bytes.Contains(raw, []byte(readTok)) || bytes.Contains(raw, []byte(boot)) {
			t.Errorf("a token secret is stored in clear in %s", f)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after shutdown: %s", code, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("server did not shut down")
	}
}

func TestServerCommandErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"server", "--data", dir, "--database", "postgres://x@127.0.0.1:1/x"},
		{"server", "--database", "mysql://x"},
		{"server", "--data", dir, "--tls-cert", "c.pem"},
		{"server", "--data", dir, "--vuln-db", filepath.Join(dir, "missing.db")},
		{"server", "--data", dir, "--listen", "256.0.0.1:99999"},
		{"server", "token", "create", "--data", dir},
		{"server", "token", "create", "--scope", "root", "--data", dir},
	} {
		r := run(t, "", args...)
		if r.code != 2 || r.stderr == "" {
			t.Errorf("%v: %s", args, r)
		}
	}
}

// TestPush runs a real server and pushes the bookworm rootfs fixture to
// it with `shipshape push dir:… --digest`; a push without a digest, or
// with a read token, fails with exit 2.
func TestPush(t *testing.T) {
	rootfs := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures", "bookworm")
	dir := t.TempDir()
	boot := "bootstrap-secret-for-push-0123456789"
	t.Setenv(cli.EnvBootstrapToken, boot)
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- cli.Execute(ctx, []string{"server", "--listen", addr, "--data", dir}, strings.NewReader(""), io.Discard, io.Discard)
	}()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(15 * time.Second); ; {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not come up")
		}
		time.Sleep(50 * time.Millisecond)
	}
	digest := "sha256:" + strings.Repeat("cd", 32)
	r := run(t, "", "push", "dir:"+rootfs, "--server", "http://"+addr, "--token", boot, "--digest", digest)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "88 packages") {
		t.Errorf("push: %s", r)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/images/"+digest, nil)
	req.Header.Set("Authorization", "Bearer "+boot)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"name": "libc6"`) {
		t.Errorf("pushed image: %d %.300s", resp.StatusCode, body)
	}
	r = run(t, "", "push", "dir:"+rootfs, "--server", "http://"+addr, "--token", boot)
	if r.code != 2 || !strings.Contains(r.stderr, "--digest") {
		t.Errorf("push without digest: %s", r)
	}
	r = run(t, "", "push", "dir:"+rootfs, "--server", "http://"+addr, "--token", "sst_wrong-token-0123456789", "--digest", digest)
	if r.code != 2 || !strings.Contains(r.stderr, "unknown token") {
		t.Errorf("push with an unknown token: %s", r)
	}
	r = run(t, "", "push", "dir:"+rootfs, "--server", "ftp://x", "--token", boot, "--digest", digest)
	if r.code != 2 {
		t.Errorf("push to ftp: %s", r)
	}
}

// TestPushFindings: push scans with the image rules too and uploads the
// findings beside the SBOM: a root filesystem holding an AWS key in a
// layer file has an IM secret finding on the server afterwards, with the
// path and the rule's title. A server that has no findings endpoint (an
// older one) still takes the SBOM; push says what it skipped and exits 0.
func TestPushFindings(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	key := strings.Join([]string{"AKIA", "Z7Q4", "W2XK", "P9LM", "3VTR"}, "")
	secret := strings.Join([]string{"wJal", "rXUt", "nFEM", "I/K7", "MDEN", "G/bP", "xRfi", "CYz9", "Q2r7", "Tk3M"}, "")
	env := "AWS_ACCESS_KEY_ID=" + key + "\nAWS_SECRET_ACCESS_KEY=" + secret + "\n"
	if err := os.WriteFile(filepath.Join(root, "app", "settings.env"), []byte(env), 0o644); err != nil {
		t.Fatal(err)
	}
	boot := "bootstrap-secret-for-push-findings-0123"
	t.Setenv(cli.EnvBootstrapToken, boot)
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- cli.Execute(ctx, []string{"server", "--listen", addr, "--data", t.TempDir()}, strings.NewReader(""), io.Discard, io.Discard)
	}()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(15 * time.Second); ; {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not come up")
		}
		time.Sleep(50 * time.Millisecond)
	}
	digest := "sha256:" + strings.Repeat("ef", 32)
	r := run(t, "", "push", "dir:"+root, "--server", "http://"+addr, "--token", boot, "--digest", digest)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "findings") || strings.Contains(r.stdout, " 0 findings") {
		t.Errorf("push: %s", r)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/images/"+digest+"/findings", nil)
	req.Header.Set("Authorization", "Bearer "+boot)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"path": "/app/settings.env"`) || !strings.Contains(string(body), `"ruleId": "IM1100"`) ||
		!strings.Contains(string(body), `"title": "`) || strings.Contains(string(body), secret) {
		t.Errorf("pushed findings: %d %s", resp.StatusCode, body)
	}

	// An older server: SBOM uploads only.
	var sboms int
	old := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/sboms" {
			sboms++
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"imageId": 7, "digest": "`+digest+`", "packages": 0, "newPackages": 0}`)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error": "no such endpoint: `+r.Method+` `+r.URL.Path+`"}`)
	})
	r = run(t, "", "push", "dir:"+root, "--server", old, "--token", boot, "--digest", digest)
	wantCode(t, r, 0)
	if sboms != 1 || !strings.Contains(r.stderr, "does not take findings") || !strings.Contains(r.stdout, "findings not pushed") {
		t.Errorf("push to an older server: %d uploads, %s", sboms, r)
	}
}

// httptestServer serves h on loopback for the test.
func httptestServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

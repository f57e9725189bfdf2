package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// randomAlnum returns n random letters and digits: planted credentials
// are made at run time, so that none sits in the repository and none
// looks like the filler the detectors ignore.
func randomAlnum(t *testing.T, n int) string {
	t.Helper()
	const set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			t.Fatal(err)
		}
		b[i] = set[k.Int64()]
	}
	return string(b)
}

// importRootfs imports a root filesystem directory as a local image with
// a unique name, removed when the test ends.
func importRootfs(t *testing.T, root, prefix string) string {
	t.Helper()
	if err := exec.Command("docker", "info").Run(); err != nil {
		skipOrFail(t, "no Docker Engine reachable (docker info failed)")
	}
	name := fmt.Sprintf("%s:%d-%d", prefix, os.Getpid(), time.Now().UnixNano())
	tr := exec.Command("tar", "-C", root, "-c", ".")
	imp := exec.Command("docker", "import", "-", name)
	pipe, err := tr.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	imp.Stdin = pipe
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v\n%s", err, out)
	}
	_ = tr.Wait()
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", name).Run() })
	return name
}

// TestProofSecretsOnRealImage is issue 15's proof for the secret scanner:
// an image imported from Debian bookworm with python3-requests, openssl
// and Debian's Go 1.19 toolchain (openssl.cnf, requests' sources and Go's
// test keys are where the old patterns fired) has no secret finding at
// all, and the same image with eight credentials planted by COPY, one per
// layer (one of them deleted again by a later RUN), reports each exactly
// once, at the layer that added it.
func TestProofSecretsOnRealImage(t *testing.T) {
	root := corpus.BookwormAppsRootfs(t)
	base := importRootfs(t, root, "shipshape-e2e-apps")

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	sa, _ := json.MarshalIndent(map[string]string{
		"type": "service_account", "project_id": "acme-prod", "private_key_id": randomAlnum(t, 40),
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})),
		"client_email": "deploy@acme-prod.iam.gserviceaccount.com",
	}, "", "  ")
	uuid := strings.ToLower(randomAlnum(t, 8) + "-" + randomAlnum(t, 4) + "-" + randomAlnum(t, 4) + "-" + randomAlnum(t, 4) + "-" + randomAlnum(t, 12))
	dockerAuth := base64.StdEncoding.EncodeToString([]byte("deploy:" + randomAlnum(t, 20)))
	// planted: image path -> the kind the scanner must report there.
	planted := []struct{ src, dst, body, kind string }{
		{"id_rsa", "/root/.ssh/id_rsa", string(pemKey), "private-key"},
		{"deploy.sh", "/app/deploy.sh", "#!/bin/sh\ngit clone https://" + "ghp_" + randomAlnum(t, 36) + "@github.com/acme/app\n", "github-token"},
		{"npmrc", "/root/.npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=" + uuid + "\n", "npmrc-auth"},
		{"env", "/app/.env", "DEBUG=0\nDB_PASSWORD=" + randomAlnum(t, 18) + "\n", "dotenv-secret"},
		{"notify.py", "/app/notify.py", "SLACK = '" + "xoxb-" + "4" + randomAlnum(t, 10) + "-" + randomAlnum(t, 24) + "'\n", "slack-token"},
		{"pay.rb", "/app/pay.rb", "Stripe.api_key = '" + "sk_" + "live_" + randomAlnum(t, 24) + "'\n", "stripe-key"},
		{"config.json", "/root/.docker/config.json", "{\n \"auths\": {\n  \"registry.acme.io\": {\n   \"auth\": \"" + dockerAuth + "\"\n  }\n }\n}\n", "docker-registry-auth"},
		{"sa.json", "/app/sa.json", string(sa) + "\n", "gcp-service-account"},
	}
	var df strings.Builder
	fmt.Fprintf(&df, "FROM %s\n", base)
	entries := []imagetest.Entry{imagetest.File(".dockerignore", ".git\n")}
	for _, p := range planted {
		fmt.Fprintf(&df, "COPY %s %s\n", p.src, p.dst)
		entries = append(entries, imagetest.File(p.src, p.body))
	}
	df.WriteString("RUN rm /app/.env\n")
	entries = append(entries, imagetest.File("Dockerfile", df.String()))
	dir := imagetest.TreeOf(t, entries...)

	tag := fmt.Sprintf("shipshape-e2e-planted:%d-%d", os.Getpid(), time.Now().UnixNano())
	build := exec.Command("docker", "build", "-q", "-t", tag, dir)
	build.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", tag).Run() })
	archive := filepath.Join(t.TempDir(), "planted.tar")
	if out, err := exec.Command("docker", "save", "-o", archive, tag).CombinedOutput(); err != nil {
		t.Fatalf("docker save: %v\n%s", err, out)
	}
	fs := find(shipshape(t, "image", "--no-cache", "--scanners", "secret", archive), "IM1100")

	byPath := map[string][]jsonFinding{}
	for _, f := range fs {
		if f.Image == nil {
			t.Errorf("finding without an image location: %+v", f)
			continue
		}
		if f.Image.LayerIndex == 0 {
			// The base layer is the Debian tree itself: nothing there is a
			// credential.
			t.Errorf("false positive in the base layer: %s", f.Message)
			continue
		}
		byPath[f.Image.Path] = append(byPath[f.Image.Path], f)
	}
	for i, p := range planted {
		got := byPath[p.dst]
		delete(byPath, p.dst)
		if len(got) != 1 {
			t.Errorf("%s: %d findings, want exactly one: %+v", p.dst, len(got), got)
			continue
		}
		f := got[0]
		if f.Image.LayerIndex != i+1 || !strings.Contains(f.Image.Instruction, "COPY") || !strings.Contains(f.Image.Instruction, p.dst) {
			t.Errorf("%s: found at layer %d (%q), want layer %d, its COPY", p.dst, f.Image.LayerIndex, f.Image.Instruction, i+1)
		}
		if !strings.HasPrefix(f.Message, p.kind+" in ") {
			t.Errorf("%s: %q, want a %s", p.dst, f.Message, p.kind)
		}
		if p.dst == "/app/.env" && !strings.Contains(f.Message, "still ships") {
			t.Errorf("%s: deleted by a later RUN but not said so: %s", p.dst, f.Message)
		}
	}
	for path, extra := range byPath {
		t.Errorf("unexpected finding at %s: %+v", path, extra)
	}
}

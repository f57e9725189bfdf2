package e2e

import (
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"os/exec"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

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

// rootfsLayer is a layer holding the root filesystem directory root, its
// tar stream made by tar(1) each time the layer is read and compressed at
// gzip's fastest level: a 660 MB tree is read twice (digest, archive).
func rootfsLayer(t *testing.T, root string, read *int64) v1.Layer {
	t.Helper()
	open := func() (io.ReadCloser, error) {
		cmd := exec.Command("tar", "-C", root, "--numeric-owner", "-c", ".")
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		*read = 0
		return struct {
			io.Reader
			io.Closer
		}{countingReader{out, read}, closerFunc(func() error { out.Close(); return cmd.Wait() })}, nil
	}
	l, err := tarball.LayerFromOpener(open, tarball.WithCompressionLevel(gzip.BestSpeed))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

type closerFunc func() error

// countingReader counts the bytes read through it into *n.
type countingReader struct {
	r io.Reader
	n *int64
}

func (c countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	*c.n += int64(k)
	return k, err
}

func (f closerFunc) Close() error { return f() }

// TestProofSecretsOnRealImage is issue 15's proof for the secret scanner:
// an image whose base layer is the Debian bookworm root filesystem with
// python3-requests, openssl and Debian's Go 1.19 toolchain (openssl.cnf,
// requests' sources and Go's test keys are where the old patterns fired)
// has no secret finding in that layer, and eight credentials planted on
// top, one COPY layer each (one of them deleted again by a later RUN),
// are each reported exactly once, at the layer that added them. The image
// is built in the test with go-containerregistry from the root filesystem
// that scripts/prepare-test-data.sh --apps caches; building it with the
// Docker Engine's legacy builder on this machine's fuse-overlayfs took
// over eight minutes.
func TestProofSecretsOnRealImage(t *testing.T) {
	root := corpus.BookwormAppsRootfs(t)

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
	var baseBytes int64
	layers := []imagetest.Layer{{CreatedBy: "debootstrap --variant=minbase bookworm; apt-get install python3-requests openssl golang-go", V1: rootfsLayer(t, root, &baseBytes)}}
	for _, p := range planted {
		layers = append(layers, imagetest.Layer{CreatedBy: "COPY " + p.src + " " + p.dst,
			Entries: []imagetest.Entry{imagetest.File(strings.TrimPrefix(p.dst, "/"), p.body).WithMode(0o600)}})
	}
	layers = append(layers, imagetest.Layer{CreatedBy: "RUN rm /app/.env", Entries: []imagetest.Entry{imagetest.Whiteout("app/.env")}})
	archive := imagetest.DockerArchive(t, imagetest.Build(t, imagetest.Image{Layers: layers}), "shipshape-e2e-planted:latest")
	if baseBytes < 400<<20 {
		t.Fatalf("the base layer holds %d bytes of tar; the root filesystem with Go, Python and OpenSSL is over 600 MB", baseBytes)
	}
	t.Logf("base layer: %d MB of tar", baseBytes>>20)
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

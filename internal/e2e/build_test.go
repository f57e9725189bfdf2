package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (required in CI)", why)
	}
	t.Skip(why)
}

// bookwormImage imports the debootstrap root filesystem that .ci/run builds
// ($SHIPSHAPE_BOOKWORM_ROOTFS) as a local image with a unique name.
func bookwormImage(t *testing.T) string {
	t.Helper()
	if err := exec.Command("docker", "info").Run(); err != nil {
		skipOrFail(t, "no Docker Engine reachable (docker info failed)")
	}
	root := corpus.BookwormRootfs(t)
	name := fmt.Sprintf("shipshape-e2e-base:%d-%d", os.Getpid(), time.Now().UnixNano())
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

type jsonFinding struct {
	RuleID  string `json:"ruleId"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Image   *struct {
		LayerIndex  int    `json:"layerIndex"`
		Instruction string `json:"instruction"`
		Path        string `json:"path"`
	} `json:"image"`
}

func shipshape(t *testing.T, args ...string) []jsonFinding {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Execute(context.Background(), append(args, "--format", "json", "--fail-on", "none"), strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("shipshape %v: exit %d\n%s", args, code, errb.String())
	}
	var doc struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("shipshape %v: %v\n%s", args, err, out.String())
	}
	return doc.Findings
}

func find(fs []jsonFinding, id string) []jsonFinding {
	var out []jsonFinding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// TestLintClaimsHoldInBuiltImage lints a Dockerfile that copies a private
// key and deletes it in a later RUN, runs as root and leaves apt lists,
// then builds it with the real engine and scans the saved image: every
// claim the Dockerfile rules make must be visible in the image.
func TestLintClaimsHoldInBuiltImage(t *testing.T) {
	base := bookwormImage(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	dockerfile := fmt.Sprintf(`FROM %s
COPY id_rsa /root/.ssh/id_rsa
RUN dd if=/dev/zero of=/opt/blob bs=1M count=4 status=none
RUN rm -f /root/.ssh/id_rsa /opt/blob
USER root
CMD ["/bin/sh"]
`, base)
	dir := imagetest.TreeOf(t,
		imagetest.File("id_rsa", string(pemKey)).WithMode(0o600),
		imagetest.File("Dockerfile", dockerfile),
		imagetest.File(".dockerignore", ".git\n"),
	)

	// What the Dockerfile rules claim.
	lint := shipshape(t, "lint", filepath.Join(dir, "Dockerfile"))
	if fs := find(lint, "DF1402"); len(fs) == 0 || fs[0].Line != 2 {
		t.Errorf("DF1402 (secret file copied) not reported at line 2: %+v", fs)
	}
	if fs := find(lint, "DF1606"); len(fs) == 0 || fs[0].Line != 4 {
		t.Errorf("DF1606 (deleted in a later layer) not reported at line 4: %+v", fs)
	}
	if fs := find(lint, "DF1101"); len(fs) == 0 {
		t.Errorf("DF1101 (last USER root) not reported: %+v", lint)
	}
	if fs := find(lint, "CX1101"); len(fs) == 0 {
		t.Errorf("CX1101 (COPY puts a secret into the image) not reported: %+v", lint)
	}

	// Build it as a user would and scan what was built.
	tag := fmt.Sprintf("shipshape-e2e-app:%d-%d", os.Getpid(), time.Now().UnixNano())
	build := exec.Command("docker", "build", "-q", "-t", tag, dir)
	build.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", tag).Run() })
	archive := filepath.Join(t.TempDir(), "app.tar")
	if out, err := exec.Command("docker", "save", "-o", archive, tag).CombinedOutput(); err != nil {
		t.Fatalf("docker save: %v\n%s", err, out)
	}
	img := shipshape(t, "image", "--no-cache", "--scanners", "config,secret,files,bloat", archive)

	// The key deleted by a later RUN still ships in the COPY layer.
	secrets := find(img, "IM1100")
	ok := false
	for _, f := range secrets {
		if f.Image != nil && f.Image.Path == "/root/.ssh/id_rsa" && strings.Contains(f.Image.Instruction, "COPY") && strings.Contains(f.Message, "still ships") {
			ok = true
		}
	}
	if !ok {
		t.Errorf("IM1100 does not report the deleted key in its COPY layer: %+v", secrets)
	}
	// The deleted blob's bytes are reclaimable.
	if fs := find(img, "IM1301"); len(fs) == 0 || !strings.Contains(fs[0].Message, "MB") {
		t.Errorf("IM1301 (reclaimable bytes) missing: %+v", fs)
	}
	// The built image runs as root.
	if fs := find(img, "IM1000"); len(fs) == 0 {
		t.Errorf("IM1000 (runs as root) missing")
	}
	// And it is Debian 12 with apt lists left (the base's).
	if fs := find(img, "IM1500"); len(fs) == 0 || !strings.Contains(strings.ToLower(fs[0].Message), "debian") {
		t.Errorf("IM1500 (OS identity) does not name Debian: %+v", fs)
	}
}

// TestExamplesAreValidCompose checks the bundled examples with the real
// compose tool, so that what shipshape lints is what users can run.
func TestExamplesAreValidCompose(t *testing.T) {
	compose, err := exec.LookPath("docker-compose")
	if err != nil {
		skipOrFail(t, "docker-compose not installed")
	}
	for _, f := range []string{"../../examples/insecure-node/docker-compose.yml", "../../examples/hardened-node/compose.yaml"} {
		if out, err := exec.Command(compose, "-f", f, "config", "-q").CombinedOutput(); err != nil {
			t.Errorf("%s is not a valid compose file for docker-compose: %v\n%s", f, err, out)
		}
	}
}

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

// hardenDockerfile adds to the debootstrap base what harden removes: an
// apt package list, a file a later layer deletes, and no user (the base's
// setuid binaries, passwd, su, mount..., come with it).
const hardenDockerfile = `FROM %s
RUN head -c 3000000 /dev/urandom | base64 > /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages && head -c 5000000 /dev/urandom > /tmp/build-input.bin
RUN rm /tmp/build-input.bin
CMD ["/bin/cat", "/etc/debian_version"]
`

// TestHardenRealImage builds an image on the debootstrap base with the
// Docker Engine, hardens its docker save archive with --verify-cmd (the
// same command in both images, same exit code and output), loads the
// result and checks it runs as nobody; then hardens again with
// --remove-shells and checks the shell is gone and the command still runs.
// It logs the sizes and finding counts docs/coverage/harden.md records.
func TestHardenRealImage(t *testing.T) {
	base := bookwormImage(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(fmt.Sprintf(hardenDockerfile, base)), 0o644); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("shipshape-e2e-harden:%d-%d", os.Getpid(), time.Now().UnixNano())
	docker(t, "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", tag, tag+"-h", tag+"-s").Run() })
	in := filepath.Join(dir, "in.tar")
	docker(t, "save", "-o", in, tag)

	before := shipshape(t, "image", "--no-cache", "--scanners", "config,secret,files,bloat", in)
	out := filepath.Join(dir, "hardened.tar")
	start := time.Now()
	stdout := harden(t, 0, in, "-o", out, "--tag", tag+"-h", "--no-cache", "--verify-cmd", "/bin/cat /etc/debian_version")
	took := time.Since(start)
	for _, want := range []string{"strip-setuid", "/usr/bin/passwd", "remove-cache", "drop-shadowed", "/tmp/build-input.bin", "set-user", "65534:65534", ", same output", "wrote " + out} {
		if !strings.Contains(stdout, want) {
			t.Errorf("harden output lacks %q:\n%s", want, stdout)
		}
	}
	after := shipshape(t, "image", "--no-cache", "--scanners", "config,secret,files,bloat", out)
	for _, id := range []string{"IM1000", "IM1200", "IM1300", "IM1301"} {
		if len(find(before, id)) == 0 {
			t.Errorf("the original image has no %s finding: the test image lost what it is for", id)
		}
		if n := len(find(after, id)); n != 0 {
			t.Errorf("the hardened image still has %d %s findings", n, id)
		}
	}
	docker(t, "load", "-q", "-i", out)
	if got := strings.TrimSpace(docker(t, "run", "--rm", tag+"-h", "id", "-u")); got != "65534" {
		t.Errorf("hardened image runs as uid %q, want 65534", got)
	}
	if got := docker(t, "run", "--rm", tag+"-h"); !strings.HasPrefix(got, "12.") {
		t.Errorf("hardened image's command printed %q", got)
	}
	// A second plan finds nothing left to do.
	harden(t, 0, out, "--dry-run", "--no-cache")

	noShell := filepath.Join(dir, "noshell.tar")
	stdout = harden(t, 0, in, "-o", noShell, "--tag", tag+"-s", "--no-cache", "--remove-shells", "--verify-cmd", "/bin/cat /etc/debian_version")
	if !strings.Contains(stdout, "remove-shell") || !strings.Contains(stdout, "remove-package-manager") {
		t.Errorf("--remove-shells removed nothing:\n%s", stdout)
	}
	docker(t, "load", "-q", "-i", noShell)
	if err := exec.Command("docker", "run", "--rm", tag+"-s", "/bin/sh", "-c", "true").Run(); err == nil {
		t.Error("/bin/sh still runs in the --remove-shells image")
	}

	// The Engine's size of each image: uncompressed layer bytes, the
	// number docker images shows, comparable whatever the archives'
	// compression.
	size := func(ref string) string {
		return strings.TrimSpace(docker(t, "image", "inspect", "--format", "{{.Size}}", ref))
	}
	ids := func(fs []jsonFinding) string {
		var s []string
		for _, f := range fs {
			s = append(s, f.RuleID)
		}
		return strings.Join(s, " ")
	}
	t.Logf("figures: image size %s -> %s bytes (%s with --remove-shells); image findings %d -> %d; harden with --verify-cmd took %s",
		size(tag), size(tag+"-h"), size(tag+"-s"), len(before), len(after), took.Round(time.Second))
	t.Logf("findings before: %s", ids(before))
	t.Logf("findings after: %s", ids(after))
	t.Logf("verify line: %s", regexp.MustCompile(`verify: .*`).FindString(stdout))
}

func docker(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	c := exec.Command("docker", args...)
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

func harden(t *testing.T, code int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	got := cli.Execute(context.Background(), append([]string{"harden"}, args...), strings.NewReader(""), &out, &errb)
	if got != code {
		t.Fatalf("shipshape harden %v: exit %d, want %d\n%s\n%s", args, got, code, out.String(), errb.String())
	}
	return out.String()
}

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// hardenable is an image with one setuid file, an apt list, a deleted file
// and no user.
func hardenable(t *testing.T, entrypoint ...string) string {
	t.Helper()
	img := imagetest.Build(t, imagetest.Image{
		Config: imagetest.Config{Entrypoint: entrypoint},
		Layers: []imagetest.Layer{
			{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
				imagetest.Dir("etc"), imagetest.Dir("usr/bin"), imagetest.Dir("var/lib/apt/lists"), imagetest.Dir("tmp"),
				imagetest.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"),
				imagetest.File("usr/bin/passwd", "binary").WithMode(0o4755),
				imagetest.File("bin/sh", "shell").WithMode(0o755),
				imagetest.File("var/lib/apt/lists/deb.debian.org_Packages", strings.Repeat("Package: a\n", 500)),
				imagetest.File("tmp/secret-build-input", strings.Repeat("y", 9000)),
			}},
			{CreatedBy: "RUN rm /tmp/secret-build-input", Entries: []imagetest.Entry{imagetest.Whiteout("tmp/secret-build-input")}},
		},
	})
	return imagetest.DockerArchive(t, img, "app:1")
}

func TestHardenDryRunThenApply(t *testing.T) {
	in := hardenable(t, "/usr/bin/app")
	r := run(t, "", "harden", "--no-cache", "--dry-run", in)
	wantCode(t, r, 1)
	for _, want := range []string{"strip-setuid", "/usr/bin/passwd", "mode 4755 -> 0755", "remove-cache", "5.4 KiB", "drop-shadowed", "/tmp/secret-build-input", "8.8 KiB", "set-user", "1000:1000"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
	out := filepath.Join(t.TempDir(), "hardened.tar")
	r = run(t, "", "harden", "--no-cache", in, "-o", out)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "verify: ") || !strings.Contains(r.stdout, " 0 new") || !strings.Contains(r.stdout, "wrote "+out) {
		t.Errorf("output:\n%s", r.stdout)
	}
	// The result has nothing left to harden and passes the image gate the
	// original fails.
	wantCode(t, run(t, "", "harden", "--no-cache", "--dry-run", out), 0)
	wantCode(t, run(t, "", "image", "--no-cache", "--scanners", "config,files,bloat", "--fail-on", "high", in), 1)
	wantCode(t, run(t, "", "image", "--no-cache", "--scanners", "config,files,bloat", "--fail-on", "high", out), 0)

	oci := filepath.Join(t.TempDir(), "oci")
	wantCode(t, run(t, "", "harden", "--no-cache", in, "-o", oci, "--format", "oci"), 0)
	if _, err := os.Stat(filepath.Join(oci, "index.json")); err != nil {
		t.Errorf("no OCI layout: %v", err)
	}
}

func TestHardenUsageAndRefusals(t *testing.T) {
	in := hardenable(t, "/bin/sh", "-c", "app")
	for _, args := range [][]string{
		{"harden", in},
		{"harden", in, "--dry-run", "-o", "x.tar"},
		{"harden", in, "-o", "x.tar", "--format", "zip"},
		{"harden", in, "-o", "x.tar", "--allow", "usr/bin/passwd"},
		{"harden", in, "-o", "x.tar", "--user", "a", "--keep-user"},
		{"harden", "/does/not/exist.tar", "--dry-run"},
	} {
		if r := run(t, "", args...); r.code != 2 {
			t.Errorf("%q: want exit 2, got %s", args, r)
		}
	}
	out := filepath.Join(t.TempDir(), "h.tar")
	r := run(t, "", "harden", "--no-cache", in, "-o", out, "--remove-shells")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "runs through a shell") {
		t.Errorf("refusal not explained:\n%s", r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused run wrote its output")
	}
	r = run(t, "", "harden", "--no-cache", in, "-o", out, "--user", "Bad Name")
	wantCode(t, r, 2)
}

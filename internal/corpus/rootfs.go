package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvBookwormRootfs names the environment variable that points at a
// debootstrap --variant=minbase bookworm root filesystem.
const EnvBookwormRootfs = "SHIPSHAPE_BOOKWORM_ROOTFS"

// PrepareCommand is the command that prepares the test data that is not
// in the repository or the shared folder: it runs debootstrap once (it
// downloads Debian packages) into $TMPDIR/shipshape-bookworm.
const PrepareCommand = "scripts/prepare-test-data.sh"

// BookwormRootfs returns the bookworm root filesystem for a test:
// $SHIPSHAPE_BOOKWORM_ROOTFS, else the one scripts/prepare-test-data.sh
// leaves in $TMPDIR/shipshape-bookworm/rootfs. Tests never build it
// themselves (it downloads packages and takes minutes): without it they
// skip and name the command that prepares it, or fail when $CI is set.
func BookwormRootfs(t testing.TB) string {
	t.Helper()
	root := os.Getenv(EnvBookwormRootfs)
	if root == "" {
		base := filepath.Join(os.TempDir(), "shipshape-bookworm")
		if _, err := os.Stat(filepath.Join(base, "complete")); err == nil {
			root = filepath.Join(base, "rootfs")
		}
	}
	if root != "" {
		if _, err := os.Stat(filepath.Join(root, "etc", "debian_version")); err == nil {
			return root
		}
	}
	msg := "no debootstrap bookworm root filesystem: run " + PrepareCommand + " (or set " + EnvBookwormRootfs + ")"
	if root != "" {
		msg = EnvBookwormRootfs + "=" + root + " holds no root filesystem: run " + PrepareCommand
	}
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set: .ci/run must provide it)")
	}
	t.Skip(msg)
	return ""
}

// EnvBookwormAppsRootfs names the environment variable that points at the
// bookworm root filesystem with python3-requests, openssl and golang-go
// installed (scripts/prepare-test-data.sh --apps).
const EnvBookwormAppsRootfs = "SHIPSHAPE_BOOKWORM_APPS_ROOTFS"

// BookwormAppsRootfs returns the bookworm root filesystem with Debian's
// python3-requests, openssl and Go 1.19 toolchain installed:
// $SHIPSHAPE_BOOKWORM_APPS_ROOTFS, else the one
// scripts/prepare-test-data.sh --apps leaves in
// $TMPDIR/shipshape-bookworm-apps/rootfs. Like BookwormRootfs it skips
// without it, naming the command, or fails when $CI is set.
func BookwormAppsRootfs(t testing.TB) string {
	t.Helper()
	root := os.Getenv(EnvBookwormAppsRootfs)
	if root == "" {
		base := filepath.Join(os.TempDir(), "shipshape-bookworm-apps")
		if _, err := os.Stat(filepath.Join(base, "complete")); err == nil {
			root = filepath.Join(base, "rootfs")
		}
	}
	if root != "" {
		if _, err := os.Stat(filepath.Join(root, "usr", "lib", "python3", "dist-packages", "requests")); err == nil {
			return root
		}
	}
	msg := "no bookworm root filesystem with python3-requests, openssl and golang-go: run " + PrepareCommand + " --apps (or set " + EnvBookwormAppsRootfs + ")"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set: .ci/run must provide it)")
	}
	t.Skip(msg)
	return ""
}

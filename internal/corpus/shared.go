package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvShared names the environment variable that points at the shared folder.
const EnvShared = "SHIPSHAPE_SHARED"

// ErrNoShared is returned (wrapped) when the shared folder cannot be found.
var ErrNoShared = errors.New("shared folder not found")

// FindShared returns the shared folder: $SHIPSHAPE_SHARED when set, else the
// `shared` directory beside the module root found by walking up from start
// to the first directory holding go.mod.
func FindShared(start string) (string, error) {
	if v := os.Getenv(EnvShared); v != "" {
		if st, err := os.Stat(v); err != nil || !st.IsDir() {
			return "", fmt.Errorf("%s=%s: %w", EnvShared, v, ErrNoShared)
		}
		return v, nil
	}
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if st, err := os.Stat(shared); err == nil && st.IsDir() {
				return shared, nil
			}
			return "", fmt.Errorf("%s beside module root %s: %w", "shared", dir, ErrNoShared)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s: %w", start, ErrNoShared)
		}
		dir = parent
	}
}

// Shared returns the shared folder for a test. When it is absent the test is
// skipped with a message, unless $CI is set, in which case it fails: CI must
// never pass by silently skipping conformance.
func Shared(t testing.TB) string {
	t.Helper()
	dir, err := FindShared(".")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v (CI is set, so the shared corpus is required; set %s)", err, EnvShared)
		}
		t.Skipf("skipping: %v; set %s or check out ../shared beside the module", err, EnvShared)
	}
	return dir
}

// Corpus returns the shared corpus directory (`<shared>/corpus`) for a test,
// with the same skip rule as Shared.
func Corpus(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(Shared(t), "corpus")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus folder missing: %v", err)
		}
		t.Skipf("skipping: corpus folder missing: %v", err)
	}
	return dir
}

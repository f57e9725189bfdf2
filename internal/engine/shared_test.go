package engine_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds the shared folder as docs/contract.md fixes: SHIPSHAPE_SHARED,
// else ../shared beside the module root. It skips the test when the folder
// is absent and CI is unset, and fails it under CI.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("SHIPSHAPE_SHARED"); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	dir, err := os.Getwd()
	if err == nil {
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				d := filepath.Join(filepath.Dir(dir), "shared")
				if st, err := os.Stat(d); err == nil && st.IsDir() {
					return d
				}
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatal("shared folder not found: set SHIPSHAPE_SHARED or place it at ../shared beside the module root")
	}
	tb.Skip("shared folder not found (set SHIPSHAPE_SHARED); skipping")
	return ""
}

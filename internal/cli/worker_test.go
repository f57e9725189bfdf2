package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

// TestWorkerCommand: `shipshape worker` opens the fleet database, runs
// until its context ends and exits 0; bad flags are usage errors.
func TestWorkerCommand(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := cli.Execute(ctx, []string{"worker", "--data", dir, "--webhook", "http://127.0.0.1:9/hook"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(errb.String(), "working") {
		t.Fatalf("worker: exit %d\n%s", code, errb.String())
	}
	for _, args := range [][]string{
		{"worker", "--data", dir, "--database", "postgres://x@127.0.0.1/x"},
		{"worker", "--data", dir, "--webhook", "ftp://example/hook"},
		{"worker", "--data", dir, "--webhook", "/relative"},
		{"server", "--data", dir, "--webhook", "not a url"},
	} {
		if r := run(t, "", args...); r.code != 2 {
			t.Errorf("%q: want exit 2, got %s", args, r)
		}
	}
	r := run(t, "", "worker", "--data", dir, "--vuln-db", filepath.Join(dir, "missing.db"))
	if r.code == 0 || !strings.Contains(r.stderr, "--vuln-db") {
		t.Errorf("missing --vuln-db: %s", r)
	}
}

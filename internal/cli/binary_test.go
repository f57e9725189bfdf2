package cli_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestBinaryExitCodes builds the real command and runs it, proving that main
// turns cli.Execute's result into the process exit code.
func TestBinaryExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "shipshape")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	build := exec.Command(gobin, "build", "-o", bin, "github.com/shipshape-sec/shipshape/cmd/shipshape")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	clean, err := os.ReadFile(td("clean", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args  []string
		stdin string
		code  int
	}{
		{[]string{"lint", td("clean", "Dockerfile")}, "", 0},
		{[]string{"lint", td("parse_error", "Dockerfile")}, "", 1},
		{[]string{"lint", td("does-not-exist")}, "", 2},
		{[]string{"lint", "--bogus"}, "", 2},
		{[]string{"lint", "-"}, string(clean), 0},
		{[]string{"version"}, "", 0},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		cmd.Stdin = strings.NewReader(c.stdin)
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if code != c.code {
			t.Errorf("shipshape %s: exit %d, want %d\n%s", strings.Join(c.args, " "), code, c.code, out)
		}
	}
}

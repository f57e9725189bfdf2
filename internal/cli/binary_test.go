package cli_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestBinaryExitCodes builds the real command and runs it, proving that main
// turns cli.Execute's result into the process exit code.
func TestBinaryExitCodes(t *testing.T) {
	bin := buildBinary(t)
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

// built holds the binary the tests of this package build once.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// TestMain removes the binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBinary builds the real command, once for all tests of the package.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "shipshape-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "shipshape")
		if runtime.GOOS == "windows" {
			built.bin += ".exe"
		}
		gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
		build := exec.Command(gobin, "build", "-o", built.bin, "github.com/shipshape-sec/shipshape/cmd/shipshape")
		build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if out, err := build.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// TestBinaryInterruptedLintIsNotAPass interrupts the real binary while it
// waits for standard input that never ends (a CI job cancelled mid-run):
// it must exit 2, say the run is incomplete, never print "pass", and a
// report written with -o must say complete: false.
func TestBinaryInterruptedLintIsNotAPass(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals")
	}
	bin := buildBinary(t)
	for _, format := range []string{"text", "json"} {
		out := filepath.Join(t.TempDir(), "report."+format)
		cmd := exec.Command(bin, "lint", "--format", format, "-o", out, "-")
		r, stdin, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdin = r
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		r.Close()
		io.WriteString(stdin, "FROM alpine:3.20\nUSER 10001\n")
		// Signal only once the process has read what was written: it is then
		// past start-up (its handler is installed before it reads), so the
		// test does not depend on how loaded the machine is.
		waitDrained(t, stdin)
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%s: still running 10 s after SIGINT", format)
		}
		stdin.Close()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Fatalf("%s: exit %v after SIGINT, want 2; stderr:\n%s", format, err, stderr.String())
		}
		rep, err := os.ReadFile(out)
		if err != nil {
			t.Fatalf("%s: no report written: %v", format, err)
		}
		switch format {
		case "text":
			if strings.Contains(string(rep), "pass") || !strings.Contains(string(rep), "INCOMPLETE") {
				t.Errorf("interrupted text report:\n%s", rep)
			}
		case "json":
			var j struct {
				Complete *bool `json:"complete"`
				Summary  struct {
					Failed     bool   `json:"failed"`
					Incomplete string `json:"incomplete"`
				} `json:"summary"`
			}
			if err := json.Unmarshal(rep, &j); err != nil || j.Complete == nil || *j.Complete || !j.Summary.Failed || j.Summary.Incomplete == "" {
				t.Errorf("interrupted JSON report (err %v):\n%s", err, rep)
			}
		}
		if !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("%s: stderr does not say the run was interrupted:\n%s", format, stderr.String())
		}
	}
}

// waitDrained waits until the reader of the pipe w has consumed everything
// written to it (FIONREAD, TIOCINQ on Linux, on the write end counts the bytes still queued).
func waitDrained(t *testing.T, w *os.File) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := unix.IoctlGetInt(int(w.Fd()), unix.TIOCINQ) // FIONREAD
		if err != nil {
			t.Fatalf("FIONREAD: %v", err)
		}
		if n == 0 {
			time.Sleep(50 * time.Millisecond)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the process did not read its input within 60 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

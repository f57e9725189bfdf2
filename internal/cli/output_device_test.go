package cli_test

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOutputToAFIFOKeepsIt: -o naming something that is not a regular file
// (a FIFO here; /dev/null and /dev/stdout in real use) is written to, not
// renamed over. An atomic rename onto /dev/null replaced the device with a
// regular file, which broke every later program that wrote to it.
func TestOutputToAFIFOKeepsIt(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	df := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(df, []byte("FROM alpine:3.20\nUSER 10001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "lint", "--format", "json", "--fail-on", "none", "-o", fifo, df)
	wantCode(t, r, 0)
	var b []byte
	select {
	case b = <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("nothing was written to the FIFO (was it renamed over?)")
	}
	var rep jsonOut
	if err := json.Unmarshal(b, &rep); err != nil || rep.SchemaVersion == "" {
		t.Fatalf("the FIFO did not receive the JSON report (%v): %.200s", err, b)
	}
	fi, err := os.Lstat(fifo)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("%s is no longer a FIFO: %v %v", fifo, fi.Mode(), err)
	}
}

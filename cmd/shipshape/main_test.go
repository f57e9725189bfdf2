package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCPUProfile: SHIPSHAPE_CPUPROFILE writes a (gzipped) profile of the
// run; an unset variable profiles nothing; a path that cannot be created
// is an error before the run, not a run without its profile.
func TestCPUProfile(t *testing.T) {
	stop, err := startCPUProfile("")
	if err != nil || stop() != nil {
		t.Fatalf("unset: %v", err)
	}
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	stop, err = startCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1e6; i++ {
		_ = bytes.Repeat([]byte("x"), i%7)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		t.Errorf("profile %s: %v, starts %x; want a gzipped profile", path, err, data[:min(len(data), 4)])
	}
	if _, err := startCPUProfile(filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.pprof")); err == nil {
		t.Error("a profile path that cannot be created gave no error")
	}
}

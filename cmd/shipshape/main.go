// Command shipshape lints Dockerfiles and, as it grows, audits images,
// compose files and running containers. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

// imageMemoryLimit is the Go runtime's soft memory limit for the commands
// that read images (image, sbom). Their live heap is small and bounded
// (the compact file tree, a few bounded buffers), but with the default
// GOGC the heap grows to twice it between collections; the limit makes the
// collector run earlier instead, which keeps the whole process (the
// binary's own pages included, about 25 MB) within 64 MiB on a
// 200,000-file layer. It is a soft limit: a larger live heap is never
// refused, only collected more often. GOMEMLIMIT, when set, wins.
const imageMemoryLimit = 36 << 20

// lintGCPercent is the collector's GOGC for lint. Its live heap is small
// (10-30 MB on the 1,900-file real-world corpus: the findings and the
// files being linted) while it allocates about 400 MB, so with the default
// of 100 the collector ran 41 times and took a fifth of lint's CPU
// (GODEBUG=gctrace=1: 456 ms of marking); at 200 it runs 20 times, 285 ms,
// for about 12 MB more peak memory (98 -> 110 MB). GOGC, when set, wins.
const lintGCPercent = 200

func main() {
	if len(os.Args) > 1 && os.Getenv("GOMEMLIMIT") == "" {
		switch os.Args[1] {
		case "image", "sbom":
			debug.SetMemoryLimit(imageMemoryLimit)
		}
	}
	if len(os.Args) > 1 && os.Args[1] == "lint" && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(lintGCPercent)
	}
	stopProfile, err := startCPUProfile(os.Getenv("SHIPSHAPE_CPUPROFILE"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "shipshape: SHIPSHAPE_CPUPROFILE: %v\n", err)
		os.Exit(cli.ExitError)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err := stopProfile(); err != nil {
		fmt.Fprintf(os.Stderr, "shipshape: SHIPSHAPE_CPUPROFILE: %v\n", err)
		code = max(code, cli.ExitError)
	}
	os.Exit(code)
}

// startCPUProfile writes a CPU profile of the whole run to path, when it
// is set: what a slow run of the released binary spent its time on, for
// `go tool pprof` (the benchmarks profile the library, not the process:
// start-up, discovery and the report are in neither).
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

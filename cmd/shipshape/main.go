// Command shipshape lints Dockerfiles and, as it grows, audits images,
// compose files and running containers. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

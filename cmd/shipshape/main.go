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

func main() {
	if len(os.Args) > 1 && os.Getenv("GOMEMLIMIT") == "" {
		switch os.Args[1] {
		case "image", "sbom":
			debug.SetMemoryLimit(imageMemoryLimit)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

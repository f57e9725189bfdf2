// Command shipshape lints Dockerfiles and, as it grows, audits images,
// compose files and running containers. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/shipshape-sec/shipshape/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

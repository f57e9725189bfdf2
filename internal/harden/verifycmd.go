package harden

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"mvdan.cc/sh/v3/shell"
)

// RunResult is what one `docker run` of the verify command gave.
type RunResult struct {
	Exit           int
	Stdout, Stderr string
}

// CommandCheck is the outcome of --verify-cmd: the same command run in the
// original and in the hardened image.
type CommandCheck struct {
	Args               []string
	Original, Hardened RunResult
}

// Same reports whether both runs exited alike and printed the same.
func (c *CommandCheck) Same() bool { return c.Original == c.Hardened }

// SplitCommand reads --verify-cmd as a shell would split it into words
// (quotes, escapes), without running a shell: the hardened image may have
// none. Expansions are refused rather than guessed.
func SplitCommand(cmd string) ([]string, error) {
	args, err := shell.Fields(cmd, func(name string) string { return "" })
	if err != nil {
		return nil, fmt.Errorf("--verify-cmd %q: %w", cmd, err)
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("--verify-cmd is empty")
	}
	return args, nil
}

// Docker runs the docker CLI (the Engine it is configured for).
type Docker struct {
	// Bin is the docker executable; empty means "docker" on PATH.
	Bin string
	// TempDir holds the archives loaded into the Engine.
	TempDir string
}

func (d Docker) bin() string {
	if d.Bin != "" {
		return d.Bin
	}
	return "docker"
}

func (d Docker) run(ctx context.Context, args ...string) (RunResult, error) {
	var out, errb bytes.Buffer
	c := exec.CommandContext(ctx, d.bin(), args...)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	res := RunResult{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		res.Exit = ee.ExitCode()
		return res, nil
	case err != nil:
		return res, err
	}
	return res, nil
}

// Load writes img as a docker archive tagged tag and loads it into the
// Engine; the returned function removes the image again.
func (d Docker) Load(ctx context.Context, img v1.Image, tag string) (func(), error) {
	dir, err := os.MkdirTemp(d.TempDir, "shipshape-verify-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "image.tar")
	if err := WriteDockerArchive(p, tag, img); err != nil {
		return nil, err
	}
	res, err := d.run(ctx, "load", "-q", "-i", p)
	if err != nil || res.Exit != 0 {
		return nil, fmt.Errorf("docker load %s: %v %s", tag, err, strings.TrimSpace(res.Stderr))
	}
	return func() { d.run(context.WithoutCancel(ctx), "rmi", "-f", tag) }, nil
}

// VerifyCommand loads both images into the Engine under unique tags, runs
// args in each (`docker run --rm --network none IMAGE ARGS...`: the
// image's entrypoint stays, args replace its command) and returns both
// results. The images are removed afterwards.
func (d Docker) VerifyCommand(ctx context.Context, original, hardened v1.Image, args []string) (*CommandCheck, error) {
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, err
	}
	base := "shipshape-harden-verify:" + hex.EncodeToString(rnd[:])
	check := &CommandCheck{Args: args}
	for _, side := range []struct {
		tag string
		img v1.Image
		res *RunResult
	}{{base + "-original", original, &check.Original}, {base + "-hardened", hardened, &check.Hardened}} {
		cleanup, err := d.Load(ctx, side.img, side.tag)
		if err != nil {
			return nil, err
		}
		res, err := d.run(ctx, append([]string{"run", "--rm", "--network", "none", side.tag}, args...)...)
		cleanup()
		if err != nil {
			return nil, fmt.Errorf("docker run %s: %w", side.tag, err)
		}
		*side.res = res
	}
	return check, nil
}

// Package dockerrun finds `docker run`, `docker create`, `docker container
// run` and `podman run` commands in shell scripts, Makefile recipes and CI
// workflow steps, parses them with mvdan.cc/sh, and maps their flags to
// the runtime model (internal/container), one Spec per command located at
// the line where the command starts.
package dockerrun

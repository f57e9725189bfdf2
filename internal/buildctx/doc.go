// Package buildctx models a Docker build context as `docker build` would
// send it: the context directory, the .dockerignore (or
// <Dockerfile>.dockerignore) patterns applied with moby/patternmatcher, and
// the files that would be sent. Build-context rules (CX1xxx) read it.
package buildctx

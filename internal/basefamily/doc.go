// Package basefamily knows the families of base images: which variant of an
// official image is the leaner one to run on (node:22 and node:22-slim,
// debian:bookworm and debian:bookworm-slim, a JDK and its JRE, a compiler
// image and distroless), which repository is a Docker official image or a
// mirror of one, and how a tag is rewritten to name a supported release
// (node:18-bullseye to node:24-trixie, with the dated table of package eol).
//
// The knowledge lives here once so that the rules that advise on a
// Dockerfile (DF1203 names the leaner variant, DF1204's fix moves to a
// supported release) and `shipshape recommend`, which lists and compares
// the candidates, say the same thing. Nothing here reads the clock or the
// network: callers pass the time and look images up themselves.
package basefamily

// Package recommend answers "what should this image be built on instead?"
// the way Docker Scout's base-image recommendations do: for an image (or
// the final stage of a Dockerfile) on a known family, the leaner variant of
// the same release (node:22-slim, debian:bookworm-slim, a JRE, distroless)
// and the newer supported tag (node:20 to node:24), each with its reasons
// and a severity the CLI gates on.
//
// Offline, candidates come from the family tables of package basefamily and
// the dated end-of-life table of package eol, with the clock passed in.
// Online (Compare), every candidate is looked up in its registry; those that
// exist are read layer by layer as streams (never whole) and compared with
// the image in use: packages, vulnerabilities by severity against the
// offline database, compressed size, and which vulnerabilities a move
// fixes and adds. A candidate that is not in the registry, or that would
// add critical or high vulnerabilities, is shown but not recommended.
package recommend

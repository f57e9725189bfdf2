// Package harden rewrites a container image into a hardened one: it strips
// setuid and setgid bits, removes package-manager caches and index lists
// (keeping the package databases scanners read), drops the bytes that later
// layers deleted or overwrote, sets a non-root user (creating an account
// when asked), optionally removes shells and package managers, and records
// what it did in OCI labels and an SBOM shipped inside the image.
//
// Work goes in three steps. Plan reads the model of one streaming pass over
// the image (internal/imageread, the same pass `shipshape image` makes) and
// decides every change per path and layer, without touching a layer. Build
// applies the plan layer by layer: each layer's tar stream is read once and
// written once to a spool file, entries dropped or rewritten as planned, so
// that no layer is ever held in memory. Verify scans the result with the
// image rules and compares the findings with those of the original.
//
// Layers are rewritten one for one rather than squashed: the history stays
// attached to the layer it describes (so findings still name the
// instruction that made a file), a layer with nothing to change keeps its
// DiffID (docker load and registries share it with every other image built
// on the same base), and the layer count, which some tools and policies
// inspect, does not change. Squashing would drop the same bytes but lose
// all three.
package harden

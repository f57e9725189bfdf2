// Package container is the one model of a container's runtime
// configuration that every runtime rule (RT1xxx) reads. Three loaders fill
// it: compose files (compose-go plus yaml.v3 nodes for line numbers),
// `docker run`/`podman run` command lines found in scripts, Makefiles and CI
// workflows, and `docker inspect` JSON. A rule is written once against Spec
// and works for all three sources.
package container

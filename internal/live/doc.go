// Package live holds what shipshape audit reads from a running container
// engine (Docker or Podman): a Snapshot of the engine's answers, the
// host's /proc facts and the daemon's configuration, and the mapping of
// that snapshot into the runtime model (internal/container) that the RT
// rules check. It does no I/O: internal/engineapi fills snapshots from a
// live engine, and tests fill them from fixture files, so that the rules
// see the same model either way.
package live

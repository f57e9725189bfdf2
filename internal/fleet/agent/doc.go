// Package agent watches one Docker or Podman Engine API and tells a fleet
// server which image digests run where: the host (the engine's name),
// each container's name and id, its compose project and service (from
// the labels compose sets), and when it started and stopped.
//
// It follows the engine's event stream and takes a full listing when the
// stream is (re)connected and every resync interval, so a missed event,
// an engine restart or a server that lost its data are all repaired by
// the next listing. Records are batched (one request per burst of
// events); a batch the server could not take is kept and sent again.
// An image the server has no SBOM of is exported through the same
// engine, catalogued by internal/engine like `shipshape sbom docker:…`
// and uploaded like `shipshape push`, once per digest.
//
// An image is named by the registry digest the engine records for it
// (RepoDigests: the manifest digest it was pulled by or pushed as), else
// by its image ID, which is what a locally built or imported image has.
package agent

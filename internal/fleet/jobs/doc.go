// Package jobs runs the fleet's background work on River, a durable job
// queue kept in the fleet database itself (riversqlite for the embedded
// SQLite, riverpgxv5 for PostgreSQL), so that no other service is needed
// and a job survives a restart of the process that queued it.
//
// Three kinds of job exist: a matching pass (new packages, and packages
// whose advisories changed after a vulnerability database update; it
// also finds running containers newly exposed to an advisory), a webhook
// notification of such an exposure, and a server-side scan of an image
// by reference. The server runs the workers in-process by default;
// `shipshape worker` runs them without the HTTP side, so that a
// PostgreSQL deployment adds workers by adding processes.
package jobs

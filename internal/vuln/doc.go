// Package vuln is shipshape's offline vulnerability data: advisories
// imported from OSV (JSON files, directories, osv.dev per-ecosystem zips),
// Alpine secdb and Debian OVAL into one local store, looked up by
// (ecosystem, package) without loading the whole database, and matched
// against sbom packages with each ecosystem's own version ordering.
//
// The store (store.go) is one bbolt file: a bucket per OSV ecosystem
// ("eco/Debian:12") keyed by normalised package name, holding the compact
// advisories that affect that package, plus a sources bucket (name,
// origin, import time, record count). Imports write a temporary copy and
// rename it over the database (Writer.Commit), so a failed or interrupted
// import leaves the previous database intact.
//
// The importers (importer.go) turn every feed into OSV's shape: an Alpine
// secfix version V becomes the range introduced 0, fixed V; a Debian OVAL
// "installed version less than V" test becomes the same range on the
// source package, and "less than 0" (never affected) is not stored.
//
// The matcher (matcher.go) scopes distro packages by release and source
// package, never matches a language package outside its own ecosystem,
// applies OSV ranges and versions lists as the schema says, computes
// severity from CVSS vectors (severity.go) and merges advisories that
// share an id or alias, so that a package is reported once per
// vulnerability.
package vuln

// Package vuln is shipshape's offline vulnerability data: advisories
// imported from OSV (JSON files, directories, osv.dev per-ecosystem zips),
// Alpine secdb and Debian OVAL into one local store, looked up by
// (ecosystem, package) without loading the whole database, and matched
// against sbom packages with each ecosystem's own version ordering.
package vuln

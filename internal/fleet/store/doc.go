// Package store holds the fleet's database: the schema (versioned
// migrations, one set of SQL for SQLite and PostgreSQL), ingest of SBOMs,
// the bookkeeping of vulnerability matching and every query the server
// answers.
//
// Packages are stored once per identity (type, namespace, name, version
// and distribution release) and linked to images, so that a package
// version is matched against the vulnerability database once, not once
// per image, and "which images hold package X" is an index lookup. The
// same code runs over modernc.org/sqlite (embedded, pure Go) and over
// PostgreSQL through pgx's database/sql driver; statements are written
// with "?" placeholders and rebound for PostgreSQL.
package store

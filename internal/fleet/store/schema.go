package store

import (
	"context"
	"database/sql"
	"strings"
)

// migration is one step of the schema. Its SQL is shared by both
// backends; {{id}} and {{float}} are spelled per dialect by expand.
type migration struct {
	version int
	name    string
	sql     string
	// after, when set, runs in the migration's transaction after sql:
	// a step that moves data in Go.
	after func(ctx context.Context, s *Store, tx *sql.Tx) error
}

// migrations is the schema history, oldest first. A released migration is
// never edited: a change is a new entry, so that a database made by any
// earlier version is brought forward step by step.
var migrations = []migration{
	{1, "initial schema", `
CREATE TABLE images (
	id {{id}},
	digest TEXT NOT NULL UNIQUE,
	distro_id TEXT NOT NULL DEFAULT '',
	distro_version TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	created BIGINT NOT NULL DEFAULT 0,
	first_seen BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	package_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE image_refs (
	image_id BIGINT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
	ref TEXT NOT NULL,
	first_seen BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	PRIMARY KEY (image_id, ref)
);
CREATE INDEX image_refs_ref ON image_refs(ref);
CREATE TABLE packages (
	id {{id}},
	type TEXT NOT NULL,
	namespace TEXT NOT NULL,
	name TEXT NOT NULL,
	version TEXT NOT NULL,
	distro_id TEXT NOT NULL,
	distro_version TEXT NOT NULL,
	purl TEXT NOT NULL,
	source_name TEXT NOT NULL,
	source_version TEXT NOT NULL,
	UNIQUE (type, namespace, name, version, distro_id, distro_version)
);
CREATE INDEX packages_name ON packages(name);
CREATE TABLE image_packages (
	image_id BIGINT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
	package_id BIGINT NOT NULL REFERENCES packages(id),
	path TEXT NOT NULL,
	layer_index INTEGER NOT NULL,
	layer_digest TEXT NOT NULL,
	PRIMARY KEY (image_id, package_id, path)
){{without_rowid}};
CREATE INDEX image_packages_package ON image_packages(package_id, image_id);
CREATE TABLE advisories (
	id TEXT PRIMARY KEY,
	summary TEXT NOT NULL,
	severity TEXT NOT NULL,
	score {{float}} NOT NULL,
	source TEXT NOT NULL
);
CREATE TABLE advisory_aliases (
	alias TEXT NOT NULL,
	advisory_id TEXT NOT NULL REFERENCES advisories(id),
	PRIMARY KEY (alias, advisory_id)
){{without_rowid}};
CREATE TABLE package_advisories (
	package_id BIGINT NOT NULL REFERENCES packages(id),
	advisory_id TEXT NOT NULL REFERENCES advisories(id),
	ecosystem TEXT NOT NULL,
	fixed_version TEXT NOT NULL,
	fix_state TEXT NOT NULL,
	severity TEXT NOT NULL,
	PRIMARY KEY (package_id, advisory_id)
){{without_rowid}};
CREATE INDEX package_advisories_advisory ON package_advisories(advisory_id);
CREATE TABLE package_match (
	package_id BIGINT PRIMARY KEY REFERENCES packages(id),
	matched_at BIGINT NOT NULL,
	db_built BIGINT NOT NULL
);
CREATE TABLE containers (
	id {{id}},
	host TEXT NOT NULL,
	container_id TEXT NOT NULL,
	name TEXT NOT NULL,
	image_digest TEXT NOT NULL,
	image_ref TEXT NOT NULL,
	compose_project TEXT NOT NULL,
	compose_service TEXT NOT NULL,
	started BIGINT NOT NULL,
	stopped BIGINT NOT NULL,
	updated BIGINT NOT NULL,
	UNIQUE (host, container_id)
);
CREATE INDEX containers_digest ON containers(image_digest);
CREATE TABLE tokens (
	id {{id}},
	name TEXT NOT NULL,
	scopes TEXT NOT NULL,
	hash TEXT NOT NULL UNIQUE,
	created BIGINT NOT NULL
);
CREATE TABLE audit (
	id {{id}},
	at BIGINT NOT NULL,
	token_name TEXT NOT NULL,
	method TEXT NOT NULL,
	path TEXT NOT NULL,
	status INTEGER NOT NULL,
	detail TEXT NOT NULL
);
`, nil},
	{2, "advisory aliases by advisory", `
CREATE INDEX advisory_aliases_advisory ON advisory_aliases(advisory_id);
`, nil},
	{3, "findings, OpenVEX triage, base images", `
CREATE TABLE findings (
	image_id BIGINT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
	fingerprint TEXT NOT NULL,
	rule_id TEXT NOT NULL,
	severity TEXT NOT NULL,
	title TEXT NOT NULL,
	message TEXT NOT NULL,
	path TEXT NOT NULL,
	line INTEGER NOT NULL,
	PRIMARY KEY (image_id, fingerprint)
){{without_rowid}};
CREATE INDEX findings_rule ON findings(rule_id);
CREATE TABLE vex (
	id {{id}},
	advisory TEXT NOT NULL,
	image_digest TEXT,
	package_purl TEXT NOT NULL,
	status TEXT NOT NULL,
	justification TEXT NOT NULL,
	impact_statement TEXT NOT NULL,
	action_statement TEXT NOT NULL,
	author TEXT NOT NULL,
	document_id TEXT NOT NULL,
	created BIGINT NOT NULL,
	stored BIGINT NOT NULL
);
CREATE INDEX vex_advisory ON vex(advisory);
ALTER TABLE images ADD COLUMN base_name TEXT NOT NULL DEFAULT '';
ALTER TABLE images ADD COLUMN base_digest TEXT NOT NULL DEFAULT '';
CREATE INDEX images_base ON images(base_name, base_digest)
`, nil},
	// Migration 4 keeps what only-changed
	// re-matching and webhook notifications need.
	{4, "advisory content hashes and notifications", `
CREATE TABLE advisory_keys (
	ecosystem TEXT NOT NULL,
	name TEXT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (ecosystem, name)
){{without_rowid}};
CREATE TABLE package_keys (
	package_id BIGINT NOT NULL REFERENCES packages(id),
	ecosystem TEXT NOT NULL,
	name TEXT NOT NULL,
	PRIMARY KEY (package_id, ecosystem, name)
){{without_rowid}};
CREATE INDEX package_keys_key ON package_keys(ecosystem, name);
CREATE TABLE notifications (
	advisory_id TEXT NOT NULL,
	container_id BIGINT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
	created BIGINT NOT NULL,
	PRIMARY KEY (advisory_id, container_id)
){{without_rowid}};
`, nil},
	// Migration 5 replaces the row per (image, package) link with one
	// row of links per image and per-package image bitmaps (links.go);
	// convertLinks moves the stored links over. It also keeps the ranking
	// of advisories by running exposure, and a count of the writes that
	// change it (ranking.go).
	{5, "image links and package bitmaps", `
CREATE TABLE image_links (
	image_id BIGINT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
	data {{blob}} NOT NULL
);
CREATE TABLE package_images (
	block BIGINT NOT NULL,
	package_id BIGINT NOT NULL,
	bits {{blob}} NOT NULL,
	PRIMARY KEY (block, package_id)
){{without_rowid}};
CREATE INDEX package_images_package ON package_images(package_id, block);
CREATE TABLE exposure_ranking (
	advisory_id TEXT PRIMARY KEY,
	running_images INTEGER NOT NULL,
	running_containers INTEGER NOT NULL
);
CREATE TABLE fleet_state (
	name TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
INSERT INTO fleet_state (name, value) VALUES ('changes', 0), ('ranked', -1);
`, convertLinks},
}

// expand spells the dialect-specific parts of a migration. Link tables
// are WITHOUT ROWID in SQLite: the primary key is the table, clustered by
// image, so that an ingest appends to one place instead of writing a rowid
// tree and a key index.
func (d dialect) expand(sql string) string {
	r := strings.NewReplacer("{{id}}", "INTEGER PRIMARY KEY", "{{float}}", "REAL", "{{without_rowid}}", " WITHOUT ROWID", "{{blob}}", "BLOB")
	if d == postgres {
		r = strings.NewReplacer("{{id}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "{{float}}", "DOUBLE PRECISION", "{{without_rowid}}", "", "{{blob}}", "BYTEA")
	}
	return r.Replace(sql)
}

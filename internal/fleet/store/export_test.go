package store

import (
	"context"
	"database/sql"
	"time"
)

// SetClock replaces the store's clock, so that tests can place ingests
// days apart.
func SetClock(s *Store, now func() time.Time) { s.now = now }

// MigrateTo creates the schema of an older shipshape: the migrations up
// to version, as that binary would have left the database.
func MigrateTo(ctx context.Context, dsn string, version int) error {
	var db *sql.DB
	var err error
	d := sqlite
	if IsPostgres(dsn) {
		db, err = sql.Open("pgx", dsn)
		d = postgres
	} else {
		db, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=foreign_keys(1)")
	}
	if err != nil {
		return err
	}
	defer db.Close()
	st := &Store{db: db, dialect: d, now: time.Now, stmts: map[string]*sql.Stmt{}}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)`); err != nil {
		return err
	}
	for _, m := range migrations {
		if m.version > version {
			break
		}
		if err := st.apply(ctx, m, nil); err != nil {
			return err
		}
	}
	return nil
}

// LinkCounts returns the number of package links each image's stored
// links hold, and each image's package_count, by image id.
func LinkCounts(ctx context.Context, s *Store) (links, counts map[int64]int, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, package_count FROM images`)
	if err != nil {
		return nil, nil, err
	}
	counts = map[int64]int{}
	var ids []int64
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, nil, err
		}
		counts[id] = n
		ids = append(ids, id)
	}
	rows.Close()
	ls, err := s.linksOf(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	links = map[int64]int{}
	for id, l := range ls {
		links[id] = len(l)
	}
	return links, counts, nil
}

// Link is storedLink for tests.
type Link struct {
	Pkg         int64
	Path        string
	Layer       int
	LayerDigest string
}

// EncodeLinks and DecodeLinks expose the links codec to tests.
func EncodeLinks(ls []Link) []byte {
	in := make([]storedLink, len(ls))
	for i, l := range ls {
		in[i] = storedLink{pkg: l.Pkg, path: l.Path, layer: l.Layer, layerDigest: l.LayerDigest}
	}
	return encodeLinks(in)
}

func DecodeLinks(b []byte) ([]Link, error) { return DecodeLinksOf(b, nil) }

// DecodeLinksOf is decodeLinksOf for tests.
func DecodeLinksOf(b []byte, want []int64) ([]Link, error) {
	ls, err := decodeLinksOf(b, want)
	out := make([]Link, len(ls))
	for i, l := range ls {
		out[i] = Link{Pkg: l.pkg, Path: l.path, Layer: l.layer, LayerDigest: l.layerDigest}
	}
	return out, err
}

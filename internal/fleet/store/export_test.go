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
	st := &Store{db: db, dialect: d, now: time.Now}
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

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	// The database/sql drivers of the two backends: pgx's stdlib
	// ("pgx") and the pure-Go SQLite ("sqlite").
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

type dialect int

const (
	sqlite dialect = iota
	postgres
)

// Store is an open fleet database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect dialect
	// dsn is what the store was opened with: the SQLite file's path or
	// the PostgreSQL URL (the job queue opens its own pool on it).
	dsn string
	// now is the clock, replaceable by tests.
	now func() time.Time

	// pkgMu guards pkgIDs, the ids of packages already stored, so that
	// ingesting an image whose packages are known writes only its links.
	// Packages are never deleted, so an id once committed stays valid.
	pkgMu  sync.RWMutex
	pkgIDs map[pkgKey]int64

	// stmts holds prepared statements by their SQL: multi-row inserts
	// come in a few fixed sizes (see sizes), so that SQLite compiles each
	// once instead of once per ingest.
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	// matchMu serialises matching passes in this process (LockMatching).
	matchMu sync.Mutex
}

// stmt returns q (already rebound) prepared on the database, for use in a
// transaction through tx.StmtContext.
func (s *Store) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[q]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	s.stmts[q] = st
	return st, nil
}

// sizes splits n rows into chunks of fixed sizes (powers of two up to
// max), so that every multi-row statement has one of a few shapes.
func sizes(n, max int) []int {
	var out []int
	for size := max; n > 0; {
		if n >= size {
			out = append(out, size)
			n -= size
			continue
		}
		size /= 2
	}
	return out
}

// IsPostgres tells whether a --database value names PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens (creating and migrating when needed) the database dsn: a
// postgres:// URL, or the path of a SQLite file.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		return OpenPostgres(ctx, dsn)
	}
	return OpenSQLite(ctx, dsn)
}

// OpenSQLite opens the SQLite database file path, creating it and its
// directory. WAL lets queries run while an ingest writes; writes take the
// lock at BEGIN (immediate), so two writers wait for each other through
// the busy timeout instead of failing mid-transaction.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("fleet database directory: %w", err)
		}
	}
	dsn := "file:" + path + "?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=busy_timeout(30000)&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return open(ctx, db, sqlite, path)
}

// OpenPostgres opens the PostgreSQL database at url.
func OpenPostgres(ctx context.Context, url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	return open(ctx, db, postgres, url)
}

func open(ctx context.Context, db *sql.DB, d dialect, dsn string) (*Store, error) {
	s := &Store{db: db, dialect: d, dsn: dsn, now: time.Now, pkgIDs: map[pkgKey]int64{}, stmts: map[string]*sql.Stmt{}}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	return s.db.Close()
}

// Backend names the database kind: "sqlite" or "postgres".
func (s *Store) Backend() string {
	if s.dialect == postgres {
		return "postgres"
	}
	return "sqlite"
}

// DSN returns what the store was opened with: the SQLite database file
// or the PostgreSQL URL.
func (s *Store) DSN() string { return s.dsn }

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// SchemaVersion returns the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}

// migrate applies the migrations not yet applied, each in its own
// transaction together with its schema_migrations row, so that a
// migration is either wholly applied or not at all. A database newer than
// this binary is refused rather than written to.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("schema_migrations: %w", err)
	}
	if s.dialect == postgres {
		// Two servers starting at once against one PostgreSQL must not
		// both migrate: a transaction-scoped advisory lock serialises them.
		return s.migratePostgres(ctx)
	}
	for _, m := range migrations {
		if err := s.apply(ctx, m, nil); err != nil {
			return err
		}
	}
	return s.checkNewer(ctx)
}

func (s *Store) migratePostgres(ctx context.Context) error {
	for _, m := range migrations {
		if err := s.apply(ctx, m, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7340511)")
			return err
		}); err != nil {
			return err
		}
	}
	return s.checkNewer(ctx)
}

func (s *Store) apply(ctx context.Context, m migration, lock func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	defer tx.Rollback()
	if lock != nil {
		if err := lock(tx); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), m.version).Scan(&n); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	if n > 0 {
		return nil
	}
	for _, stmt := range strings.Split(s.dialect.expand(m.sql), ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	if m.after != nil {
		if err := m.after(ctx, s, tx); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.rebind("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)"),
		m.version, m.name, s.now().Unix()); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	return tx.Commit()
}

func (s *Store) checkNewer(ctx context.Context) error {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if latest := migrations[len(migrations)-1].version; v > latest {
		return fmt.Errorf("the fleet database has schema version %d, newer than this shipshape knows (%d): upgrade shipshape", v, latest)
	}
	return nil
}

// rebind turns "?" placeholders into PostgreSQL's "$N". Statements in this
// package never hold a literal question mark.
func (s *Store) rebind(q string) string {
	if s.dialect != postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// placeholders returns "(?, ?, ...), (...)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// together runs the independent reads fs: at once on PostgreSQL, where
// each is a round trip to the server and they wait on it side by side,
// one after the other on SQLite, where a read is a call in this process
// and a parallel one would warm another connection's page cache. The
// first error is returned.
func (s *Store) together(ctx context.Context, fs ...func(context.Context) error) error {
	if s.dialect != postgres {
		for _, f := range fs {
			if err := f(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, f := range fs {
		g.Go(func() error { return f(gctx) })
	}
	return g.Wait()
}

// ErrNotFound is returned by lookups of an image, token or advisory that
// does not exist.
var ErrNotFound = errors.New("not found")

// padIn returns the placeholders of an IN list for args, padded to a
// size class (a power of two, at least 8) by repeating the last argument
// (a repeated value changes no IN answer), and the padded arguments: a
// query over lists of varying length then has a few shapes, each
// prepared once (see queryPrepared), instead of being compiled per call.
func padIn(args []any) (string, []any) {
	n := 8
	for n < len(args) {
		n *= 2
	}
	out := make([]any, n)
	copy(out, args)
	for i := len(args); i < n; i++ {
		out[i] = args[len(args)-1]
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", "), out
}

// queryPrepared runs q (with ? placeholders) as a statement prepared once
// on the database.
func (s *Store) queryPrepared(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, s.rebind(q))
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

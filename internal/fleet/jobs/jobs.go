package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// Queues. Matching runs one pass at a time per process (LockMatching
// serialises processes too); notifications and scans run beside it.
const (
	QueueMatch  = "fleet_match"
	QueueNotify = "fleet_notify"
	QueueScan   = "fleet_scan"
)

// Config configures a Runner.
type Config struct {
	Store *store.Store
	// VulnDB is the vulnerability database file matched against; empty
	// leaves packages unmatched.
	VulnDB string
	// Webhooks receive a POST for each advisory newly exposing running
	// containers; none disables exposure tracking.
	Webhooks []string
	// Work runs workers (and the periodic matching pass); false makes an
	// insert-only runner (a server whose work is done by `shipshape
	// worker` processes).
	Work bool
	// MatchInterval is how often a matching pass runs besides after each
	// ingest (it picks up a replaced vulnerability database); 0 means one
	// minute.
	MatchInterval time.Duration
	// RetryBase is the first retry's delay; each next doubles, up to
	// RetryMax. 0 means 1 s and 10 min.
	RetryBase, RetryMax time.Duration
	// PollInterval is how often workers look for jobs when not told of
	// one; 0 means 200 ms.
	PollInterval time.Duration
	// Log receives the runner's log lines; nil discards them. River's own
	// lines are passed on from warnings up.
	Log *slog.Logger
	// OnMatch, when set, is told of each matching pass once its matches
	// are stored, or of its error (the server's readiness).
	OnMatch func(PassStats, error)
	// Scan reads an image by reference for a scan job; nil uses the
	// engine (see ScanImage).
	Scan func(ctx context.Context, source string) (*sbom.SBOM, error)
	// HTTP sends webhooks; nil uses a client with a 15 s timeout.
	HTTP *http.Client
}

// queue is what the runner uses of a River client, whichever driver's.
type queue interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// Runner holds a River client over the fleet database.
type Runner struct {
	cfg   Config
	st    *store.Store
	log   *slog.Logger
	q     queue
	close func()
}

// Open migrates River's tables in the store's database (River's own
// migrations, beside the store's) and makes a client; Start runs it.
func Open(ctx context.Context, cfg Config) (*Runner, error) {
	if cfg.Store == nil {
		return nil, errors.New("jobs: no store")
	}
	if cfg.MatchInterval <= 0 {
		cfg.MatchInterval = time.Minute
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = 10 * time.Minute
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 200 * time.Millisecond
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Scan == nil {
		cfg.Scan = ScanImage
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r := &Runner{cfg: cfg, st: cfg.Store, log: log}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &matchWorker{r: r}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &notifyWorker{r: r}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &scanWorker{r: r}); err != nil {
		return nil, err
	}
	rc := &river.Config{
		Logger:            slog.New(minLevel{log.Handler(), slog.LevelWarn}),
		RetryPolicy:       backoff{base: cfg.RetryBase, max: cfg.RetryMax},
		Workers:           workers,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     cfg.PollInterval / 4,
	}
	if cfg.Work {
		rc.Queues = map[string]river.QueueConfig{
			QueueMatch:  {MaxWorkers: 1},
			QueueNotify: {MaxWorkers: 4},
			QueueScan:   {MaxWorkers: 2},
		}
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.MatchInterval),
			func() (river.JobArgs, *river.InsertOpts) { return MatchArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
	}
	var err error
	if cfg.Store.Backend() == "postgres" {
		err = r.openPostgres(ctx, rc)
	} else {
		err = r.openSQLite(ctx, rc)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Runner) openPostgres(ctx context.Context, rc *river.Config) error {
	pool, err := pgxpool.New(ctx, r.st.DSN())
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	driver := riverpgxv5.New(pool)
	if err := migrate(ctx, driver); err != nil {
		pool.Close()
		return err
	}
	c, err := river.NewClient(driver, rc)
	if err != nil {
		pool.Close()
		return fmt.Errorf("job queue: %w", err)
	}
	r.q, r.close = c, pool.Close
	return nil
}

// openSQLite opens the store's SQLite file a second time for River, with
// one connection: River runs its maintenance in parallel, which SQLite
// serialises anyway, and one connection turns would-be SQLITE_BUSY
// errors into waiting in the pool. The store's own writes wait for
// River's through the busy timeout.
func (r *Runner) openSQLite(ctx context.Context, rc *river.Config) error {
	db, err := sql.Open("sqlite", "file:"+r.st.DSN()+"?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=busy_timeout(30000)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	db.SetMaxOpenConns(1)
	driver := riversqlite.New(db)
	if err := migrate(ctx, driver); err != nil {
		db.Close()
		return err
	}
	c, err := river.NewClient(driver, rc)
	if err != nil {
		db.Close()
		return fmt.Errorf("job queue: %w", err)
	}
	r.q, r.close = c, func() { db.Close() }
	return nil
}

// migrate applies River's own migrations (its tables are river_*; the
// store's migrations never touch them).
func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// Start runs the workers (when Config.Work) until Stop. River stops at
// once, cancelling jobs in flight, when its start context ends: the
// workers are detached from ctx so that Stop can let them finish.
func (r *Runner) Start(ctx context.Context) error {
	if !r.cfg.Work {
		return nil
	}
	if err := r.q.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	return nil
}

// Stop lets jobs in flight finish (until ctx ends; then they are
// cancelled, and River runs them again later) and closes the queue's
// database pool.
func (r *Runner) Stop(ctx context.Context) error {
	var err error
	if r.cfg.Work {
		if err = r.q.Stop(ctx); ctx.Err() != nil {
			r.log.Warn("jobs still running at shutdown are cancelled and will run again")
			cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = r.q.StopAndCancel(cctx)
			cancel()
		}
	}
	r.close()
	return err
}

// backoff is the retry policy: base, doubled per attempt, up to max,
// with a tenth of jitter so that retries of many jobs spread out.
type backoff struct{ base, max time.Duration }

func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := b.base
	for i := 1; i < job.Attempt && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	d += time.Duration(rand.Int64N(int64(d)/10 + 1))
	return time.Now().UTC().Add(d)
}

// minLevel passes on records from level up: River logs every start and
// stop at info, which is noise in a server's log.
type minLevel struct {
	slog.Handler
	level slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.level}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.level}
}

// activeStates make a job unique while it waits or runs, but not once
// it finished: a later ingest must be able to queue another pass.
var activeStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}

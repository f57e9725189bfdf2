package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-sec/shipshape/internal/fleet/jobs"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// DefaultMaxBody bounds a request body (an SBOM of a large image with
// file lists stays well below it).
const DefaultMaxBody = 64 << 20

// Options configures a Server.
type Options struct {
	Store *store.Store
	// VulnDB is the path of the vulnerability database `shipshape db
	// import|update` writes; empty leaves packages unmatched (queries then
	// find nothing, and /readyz says so).
	VulnDB string
	// Log receives the server's log lines; nil discards them.
	Log *slog.Logger
	// MaxBody bounds request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// MatchInterval is how often the matcher looks for pending packages
	// and a changed vulnerability database besides after each ingest;
	// 0 means one minute.
	MatchInterval time.Duration
	// Webhooks receive a JSON POST for each advisory newly affecting
	// running containers (see internal/fleet/jobs).
	Webhooks []string
	// NoWorkers leaves the jobs (matching, notifications, scans) to
	// `shipshape worker` processes: the server only queues them.
	NoWorkers bool
	// Jobs tunes the job queue (retry delays, polling); the fields the
	// server owns (store, vulnerability database, webhooks, workers,
	// interval, logging) are set from the options above.
	Jobs jobs.Config
}

// Server serves the fleet API.
type Server struct {
	opts    Options
	st      *store.Store
	log     *slog.Logger
	metrics *metrics
	handler http.Handler
	// jobs is the job queue, open while Serve runs.
	jobs *jobs.Runner
	// wake asks the waker to queue a matching pass; buffered by one so
	// that a burst of uploads queues one pass instead of one each (and an
	// upload's answer does not wait for the queue).
	wake chan struct{}
	// ingestQ feeds the group-commit writer.
	ingestQ chan ingestReq

	mu        sync.Mutex
	lastMatch error
	matched   time.Time
}

// New makes a server over o.Store.
func New(o Options) (*Server, error) {
	if o.Store == nil {
		return nil, errors.New("server: no store")
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MatchInterval <= 0 {
		o.MatchInterval = time.Minute
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{opts: o, st: o.Store, log: log, ingestQ: make(chan ingestReq), wake: make(chan struct{}, 1)}
	s.metrics = newMetrics(s)
	s.handler = s.routes()
	return s, nil
}

// Handler returns the HTTP handler (every route, with its middleware).
func (s *Server) Handler() http.Handler { return s.handler }

// Registry returns the Prometheus registry /metrics serves.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.reg }

// TLS names a certificate and key file; both empty serves plain HTTP.
type TLS struct {
	CertFile, KeyFile string
}

// Serve serves on ln until ctx is done, then shuts down gracefully:
// it stops accepting, lets requests in flight finish (up to 30 s) and
// stops the job workers (a matching pass stops between batches).
func (s *Server) Serve(ctx context.Context, ln net.Listener, t TLS) error {
	if (t.CertFile == "") != (t.KeyFile == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return fmt.Errorf("TLS certificate: %w", err)
		}
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
	}
	if err := s.startJobs(ctx); err != nil {
		return err
	}
	mctx, stopMatcher := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	if !s.opts.NoWorkers {
		// A first pass right away, in this process (River's periodic
		// pass waits for leader election): it picks up a database
		// updated while the server was down, and readiness follows it.
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.MatchOnce(mctx)
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.waker(mctx)
	}()
	go func() {
		defer wg.Done()
		s.writer(mctx)
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "tls", t.CertFile != "", "backend", s.st.Backend())
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		s.log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = hs.Shutdown(sctx)
		cancel()
		<-errc
	}
	stopMatcher()
	wg.Wait()
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	if jerr := s.jobs.Stop(sctx); jerr != nil && err == nil {
		err = fmt.Errorf("stop jobs: %w", jerr)
	}
	cancel()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// startJobs opens the job queue (migrating River's tables) and starts
// its workers unless NoWorkers.
func (s *Server) startJobs(ctx context.Context) error {
	cfg := s.opts.Jobs
	cfg.Store, cfg.VulnDB, cfg.Webhooks = s.st, s.opts.VulnDB, s.opts.Webhooks
	cfg.Work, cfg.MatchInterval, cfg.Log, cfg.OnMatch = !s.opts.NoWorkers, s.opts.MatchInterval, s.log, s.recordMatch
	r, err := jobs.Open(ctx, cfg)
	if err != nil {
		return err
	}
	if err := r.Start(ctx); err != nil {
		r.Stop(ctx)
		return err
	}
	s.jobs = r
	if s.opts.NoWorkers {
		// Matching happens in the workers, which this process cannot
		// see: readiness does not wait for it.
		s.recordMatch(jobs.PassStats{}, nil)
		return nil
	}
	return nil
}

// Wake asks for a matching pass (after an ingest or a container
// report); the waker queues it. Outside Serve it does nothing.
func (s *Server) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// waker queues a matching pass for each Wake, coalescing the ones that
// come while it queues.
func (s *Server) waker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		if err := s.jobs.Rematch(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("queue matching", "err", err)
		}
	}
}

// recordMatch keeps the outcome of the last matching pass for /readyz
// and /metrics.
func (s *Server) recordMatch(st jobs.PassStats, err error) {
	s.mu.Lock()
	s.lastMatch = err
	if err == nil {
		s.matched = time.Now()
	}
	s.mu.Unlock()
	s.metrics.matched.Add(float64(st.Matched.Packages))
}

// MatchOnce runs one matching pass now, without the queue (see
// jobs.Runner.Pass); queued passes do the same.
func (s *Server) MatchOnce(ctx context.Context) (jobs.PassStats, error) {
	if s.jobs != nil {
		return s.jobs.Pass(ctx)
	}
	st, err := jobs.MatchOnce(ctx, s.st, s.opts.VulnDB, s.log)
	s.recordMatch(st, err)
	return st, err
}

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

	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/vuln"
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
}

// Server serves the fleet API.
type Server struct {
	opts    Options
	st      *store.Store
	log     *slog.Logger
	metrics *metrics
	handler http.Handler
	// wake asks the matcher for a pass (after an ingest); buffered by one
	// so that many ingests coalesce into one pass.
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
	s := &Server{opts: o, st: o.Store, log: log, wake: make(chan struct{}, 1), ingestQ: make(chan ingestReq)}
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
// stops the matcher between batches.
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
	mctx, stopMatcher := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.matcher(mctx)
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
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Wake asks the matcher for a pass.
func (s *Server) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// matcher matches pending packages after ingests and on a timer.
func (s *Server) matcher(ctx context.Context) {
	t := time.NewTicker(s.opts.MatchInterval)
	defer t.Stop()
	for {
		s.MatchOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-t.C:
		}
	}
}

// MatchOnce runs one matching pass: it opens the vulnerability database
// (so that a `db update`, which replaces the file, is picked up), marks
// matches made against an older build for re-matching, and matches every
// pending package version.
func (s *Server) MatchOnce(ctx context.Context) (store.MatchStats, error) {
	if s.opts.VulnDB == "" {
		return store.MatchStats{}, nil
	}
	st, err := s.matchOnce(ctx)
	s.mu.Lock()
	s.lastMatch = err
	if err == nil {
		s.matched = time.Now()
	}
	s.mu.Unlock()
	if err != nil && ctx.Err() == nil {
		s.log.Error("matching", "err", err)
	} else if st.Packages > 0 {
		s.log.Info("matched", "packages", st.Packages, "hits", st.Hits)
	}
	s.metrics.matched.Add(float64(st.Packages))
	return st, err
}

func (s *Server) matchOnce(ctx context.Context) (store.MatchStats, error) {
	db, err := vuln.Open(s.opts.VulnDB)
	if err != nil {
		return store.MatchStats{}, fmt.Errorf("vulnerability database: %w", err)
	}
	defer db.Close()
	status, err := db.Status()
	if err != nil {
		return store.MatchStats{}, fmt.Errorf("vulnerability database: %w", err)
	}
	if err := s.st.InvalidateOlder(ctx, status.Built); err != nil {
		return store.MatchStats{}, err
	}
	return s.st.MatchPending(ctx, db, status.Built)
}

package fleettest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
)

// Server is a real fleet server on a loopback port, over its own store,
// with one token of each scope: the tests talk to it over HTTP as agents,
// pipelines and browsers do.
type Server struct {
	URL                 string // http://127.0.0.1:PORT
	Admin, Ingest, Read string // tokens named "admin-test", "ingest-test" and "read-test"
	Srv                 *server.Server
	Store               *store.Store
	Client              *http.Client // 30 s timeout
	stop                func() error
}

// StartServer opens the store dsn names, creates the tokens and serves
// server.New(o) (o.Store set to the store) on a free loopback port until
// the test ends or Stop is called; a serve error fails the test.
func StartServer(t testing.TB, dsn string, o server.Options) *Server {
	t.Helper()
	return StartServerAt(t, dsn, "127.0.0.1:0", o)
}

// StartServerAt is StartServer listening on addr, for tests that restart
// a server on the address agents already know.
func StartServerAt(t testing.TB, dsn, addr string, o server.Options) *Server {
	t.Helper()
	ctx := context.Background()
	st := OpenStore(t, dsn)
	var err error
	s := &Server{Store: st, Client: &http.Client{Timeout: 30 * time.Second}}
	for _, tk := range []struct {
		dst   *string
		scope string
	}{{&s.Admin, store.ScopeAdmin}, {&s.Ingest, store.ScopeIngest}, {&s.Read, store.ScopeRead}} {
		if *tk.dst, err = st.CreateToken(ctx, tk.scope+"-test", []string{tk.scope}); err != nil {
			t.Fatalf("create %s token: %v", tk.scope, err)
		}
	}
	o.Store = st
	if s.Srv, err = server.New(o); err != nil {
		t.Fatalf("new server: %v", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s.URL = "http://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Srv.Serve(sctx, ln, server.TLS{}) }()
	var once sync.Once
	var serveErr error
	s.stop = func() error {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				serveErr = fmt.Errorf("serve: %w", err)
			}
		})
		return serveErr
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// OpenStore opens the store dsn names (a SQLite path or a postgres://
// URL), closed when the test (or benchmark run) ends.
func OpenStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Stop stops the server and returns what Serve returned; calling it
// again returns the same, so tests may stop a server before their end.
func (s *Server) Stop() error { return s.stop() }

// Do sends one API request with the bearer token (none when empty) and
// returns the status and the body; see the package function Do.
func (s *Server) Do(t testing.TB, method, path, token string, body []byte) (int, []byte) {
	t.Helper()
	return Do(t, s.Client, s.URL, method, path, token, body)
}

// WaitReady waits (30 s at most) until the server answers /healthz: the
// listener accepts at once, but Serve opens the job queue first, and
// tests that time jobs should not count that.
func (s *Server) WaitReady(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := s.Client.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/fleet/fleettest"
	"github.com/shipshape-sec/shipshape/internal/fleet/server"
	"github.com/shipshape-sec/shipshape/internal/fleet/store"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

var vulnDir string

func TestMain(m *testing.M) {
	code := fleettest.Main(m)
	if vulnDir != "" {
		os.RemoveAll(vulnDir)
	}
	os.Exit(code)
}

func digestOf(name string) string { return fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(name))) }

var (
	vulnOnce sync.Once
	vulnPath string
	vulnErr  error
)

// vulnDBPath imports Alpine secdb v3.10/v3.11 and the PyPI OSV records
// from the shared data into a database file.
func vulnDBPath(t testing.TB) string {
	t.Helper()
	data := filepath.Join(corpus.Shared(t), "data")
	vulnOnce.Do(func() {
		vulnDir, vulnErr = os.MkdirTemp("", "shipshape-fleet-server-")
		if vulnErr != nil {
			return
		}
		vulnPath = filepath.Join(vulnDir, "vuln.db")
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		w, err := vuln.Create(vulnPath)
		if err != nil {
			vulnErr = err
			return
		}
		for _, p := range []string{filepath.Join(data, "alpine", "secdb", "v3.10", "main.json"),
			filepath.Join(data, "alpine", "secdb", "v3.11", "main.json"), filepath.Join(data, "osv", "PyPI.zip")} {
			if _, err := vuln.Import(w, p, p, now); err != nil {
				w.Abort()
				vulnErr = err
				return
			}
		}
		vulnErr = w.Commit(now)
	})
	if vulnErr != nil {
		t.Fatal(vulnErr)
	}
	return vulnPath
}

// fleet is a running server on loopback and its tokens.
type fleet struct {
	url                 string
	admin, ingest, read string
	srv                 *server.Server
	stop                func() error
	client              *http.Client
}

func backends(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "fleet.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, fleettest.PostgresURL(t)) })
}

// start runs a real server on a loopback port over the database dsn.
func start(t *testing.T, dsn string, o server.Options) *fleet {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fleet{client: &http.Client{Timeout: 30 * time.Second}}
	for _, tk := range []struct {
		dst   *string
		scope string
	}{{&f.admin, store.ScopeAdmin}, {&f.ingest, store.ScopeIngest}, {&f.read, store.ScopeRead}} {
		if *tk.dst, err = st.CreateToken(ctx, tk.scope+"-test", []string{tk.scope}); err != nil {
			t.Fatal(err)
		}
	}
	o.Store = st
	srv, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.url = "http://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, ln, server.TLS{}) }()
	var once sync.Once
	var serveErr error
	f.stop = func() error {
		once.Do(func() { cancel(); serveErr = <-done })
		return serveErr
	}
	t.Cleanup(func() { f.stop() })
	return f
}

func (f *fleet) do(t *testing.T, method, path, token string, body []byte) (int, []byte) {
	t.Helper()
	return fleettest.Do(t, f.client, f.url, method, path, token, body)
}

func encodeAs(t *testing.T, format string, s *sbom.SBOM) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := encode.Write(&b, format, s, encode.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

package cli_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
)

// feedServer serves the real feeds in ../shared/data at the paths the
// default feeds use (osv.dev, Alpine's secdb, Debian's OVAL), on loopback;
// anything the shared folder does not hold is 404, as a release a feed
// does not publish would be. It records the paths asked for.
func feedServer(t *testing.T) (*httptest.Server, *[]string) {
	t.Helper()
	data := filepath.Join(corpus.Shared(t), "data")
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		var file string
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/osv/") && strings.HasSuffix(p, "/all.zip"):
			file = filepath.Join(data, "osv", strings.TrimSuffix(strings.TrimPrefix(p, "/osv/"), "/all.zip")+".zip")
		case strings.HasPrefix(p, "/alpine/"):
			file = filepath.Join(data, "alpine", "secdb", filepath.FromSlash(strings.TrimPrefix(p, "/alpine/")))
		case strings.HasPrefix(p, "/debian/"):
			file = filepath.Join(data, "debian", "oval-2023-07-14", strings.TrimPrefix(p, "/debian/"))
		}
		if file == "" || strings.Contains(p, "..") {
			http.NotFound(w, r)
			return
		}
		if _, err := os.Stat(file); err != nil {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, file)
	}))
	t.Cleanup(srv.Close)
	return srv, &asked
}

// TestDBUpdateFetchesDefaultFeedsIntoANewDatabase: on a fresh install,
// `image` says to run `db update`, and `db update` on a missing database
// fetches the default feeds (served here from the real data on loopback),
// skipping with a warning what the server does not publish.
func TestDBUpdateFetchesDefaultFeedsIntoANewDatabase(t *testing.T) {
	t.Parallel()
	srv, asked := feedServer(t)
	db := filepath.Join(t.TempDir(), "cache", "vuln.db")
	rootfs := filepath.Join(corpus.Shared(t), "data", "debian", "rootfs-fixtures", "bookworm")

	r := run(t, "", "image", "--no-cache", "--db", db, "dir:"+rootfs)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "run `shipshape db update`") {
		t.Errorf("a missing database does not name the command that fetches one:\n%s", r.stderr)
	}

	r = run(t, "", "db", "update", "--db", db,
		"--osv-url", srv.URL+"/osv", "--alpine-secdb-url", srv.URL+"/alpine", "--debian-oval-url", srv.URL+"/debian")
	wantCode(t, r, 0)
	for _, want := range []string{"imported osv:Go", "imported osv:PyPI", "alpine-secdb:v3.21/main", "debian-oval:12", "debian-oval:11"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("db update did not import %s:\n%s", want, r.stdout)
		}
	}
	for _, want := range []string{"/osv/npm/all.zip: not published", "/osv/Maven/all.zip: not published", "oval-definitions-trixie.xml.bz2: not published"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no warning for the unpublished feed %s:\n%s", want, r.stderr)
		}
	}
	if len(*asked) < 30 {
		t.Errorf("only %d feeds asked for: %v", len(*asked), *asked)
	}
	r = run(t, "", "image", "--no-cache", "--db", db, "--scanners", "vuln", "dir:"+rootfs)
	if r.code == 2 {
		t.Errorf("image with the fetched database still fails:\n%s", r)
	}
}

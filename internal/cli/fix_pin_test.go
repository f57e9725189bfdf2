package cli_test

import (
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// pinRegistry serves go-containerregistry's registry on loopback with a
// multi-platform index at team/base:1 and returns its host and the
// index's digest.
func pinRegistry(t *testing.T) (string, string) {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	idx, err := random.Index(128, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag(host+"/team/base:1", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(tag, idx); err != nil {
		t.Fatal(err)
	}
	d, _ := idx.Digest()
	return host, d.String()
}

// TestFixPin: --pin rewrites FROM and compose image: tags as tag@digest
// through the registry, only with --pin (fix is offline without it), and
// a second run has nothing left to pin.
func TestFixPin(t *testing.T) {
	host, digest := pinRegistry(t)
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	cf := filepath.Join(dir, "compose.yaml")
	dsrc := "FROM " + host + "/team/base:1 AS build\nFROM build\nUSER 10001\n"
	csrc := "services:\n  app:\n    image: " + host + "/team/base:1 # pinned by fix\n"
	os.WriteFile(df, []byte(dsrc), 0o644)
	os.WriteFile(cf, []byte(csrc), 0o644)

	r := run(t, "", "fix", "--rule", "DF1201,RT1030", dir)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Fatalf("fix without --pin pinned:\n%s", r.stdout)
	}
	r = run(t, "", "fix", "--pin", "--rule", "DF1201,RT1030", dir)
	wantCode(t, r, 1)
	pinned := host + "/team/base:1@" + digest
	if !strings.Contains(r.stdout, "+FROM "+pinned+" AS build") || !strings.Contains(r.stdout, "+    image: "+pinned+" # pinned by fix") {
		t.Fatalf("diff:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	r = run(t, "", "fix", "--pin", "--rule", "DF1201,RT1030", "--apply", "--fail-on", "none", dir)
	wantCode(t, r, 0)
	if b, _ := os.ReadFile(df); string(b) != strings.Replace(dsrc, host+"/team/base:1", pinned, 1) {
		t.Errorf("Dockerfile after --apply:\n%s", b)
	}
	if b, _ := os.ReadFile(cf); string(b) != strings.Replace(csrc, host+"/team/base:1", pinned, 1) {
		t.Errorf("compose.yaml after --apply:\n%s", b)
	}
	r = run(t, "", "fix", "--pin", "--rule", "DF1201,RT1030", dir)
	wantCode(t, r, 0)
	if r.stdout != "" {
		t.Errorf("a second run still pins:\n%s", r.stdout)
	}
}

// TestFixPinFailsClosed: a tag the registry does not know is reported with
// its file and line, the run exits 2, and --apply writes nothing, not even
// the references that did resolve.
func TestFixPinFailsClosed(t *testing.T) {
	host, _ := pinRegistry(t)
	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	src := "FROM " + host + "/team/base:1 AS a\nFROM " + host + "/team/gone:7\nUSER 10001\n"
	os.WriteFile(df, []byte(src), 0o644)
	r := run(t, "", "fix", "--pin", "--apply", "--rule", "DF1201", df)
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "Dockerfile:2: --pin: "+host+"/team/gone:7: not found") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if b, _ := os.ReadFile(df); string(b) != src {
		t.Errorf("a failed --pin wrote the file:\n%s", b)
	}
}

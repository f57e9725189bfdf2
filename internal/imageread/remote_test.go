package imageread

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
)

// platformIndex holds a linux/amd64 and a linux/arm64/v8 image, each with
// a marker file naming its architecture.
func platformIndex(t *testing.T) v1.ImageIndex {
	var adds []mutate.IndexAddendum
	for _, p := range []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64", Variant: "v8"}} {
		img := imagetest.Build(t, imagetest.Image{Architecture: p.Architecture, Variant: p.Variant,
			Layers: []imagetest.Layer{{CreatedBy: "ADD arch /", Entries: []imagetest.Entry{imagetest.File("arch", p.Architecture)}}}})
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
	}
	return mutate.AppendManifests(empty.Index, adds...)
}

func archOf(t *testing.T, src Source) string {
	t.Helper()
	img, err := Scan(context.Background(), src, ScanOptions{NoCache: true, Capture: func(p string, _ int64) bool { return p == "/arch" }})
	if err != nil {
		t.Fatal(err)
	}
	return string(img.Captured["/arch"])
}

func TestMultiPlatformLayout(t *testing.T) {
	idx := platformIndex(t)
	flat := filepath.Join(t.TempDir(), "flat")
	if _, err := layout.Write(flat, idx); err != nil {
		t.Fatal(err)
	}
	nested := filepath.Join(t.TempDir(), "nested")
	lp, err := layout.Write(nested, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"oci:" + flat, "oci:" + nested, "oci:" + tarDir(t, nested)} {
		for plat, want := range map[string]string{"linux/arm64": "arm64", "linux/arm64/v8": "arm64", "linux/amd64": "amd64"} {
			src, err := Open(context.Background(), ref, OpenOptions{Platform: plat})
			if err != nil {
				t.Fatalf("%s %s: %v", ref, plat, err)
			}
			if got := archOf(t, src); got != want {
				t.Errorf("%s %s: got the %s image", ref, plat, got)
			}
			if !strings.HasPrefix(src.Platform(), plat) {
				t.Errorf("platform %q", src.Platform())
			}
			src.Close()
		}
		_, err := Open(context.Background(), ref, OpenOptions{Platform: "linux/s390x"})
		if err == nil || !strings.Contains(err.Error(), "linux/amd64, linux/arm64/v8") || !strings.Contains(err.Error(), "linux/s390x") {
			t.Errorf("%s: missing platform: %v", ref, err)
		}
	}
}

// tokenAuth puts Docker's bearer-token dance in front of a registry: 401
// with a realm, a token endpoint that checks basic credentials, then the
// token on every request.
func tokenAuth(t *testing.T, next http.Handler, user, pass string) (http.Handler, *atomic.Int64) {
	const token = "s3cr3t-token"
	var issued atomic.Int64
	mux := http.NewServeMux()
	var realm string
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != pass {
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED"}]}`, http.StatusUnauthorized)
			return
		}
		issued.Add(1)
		json.NewEncoder(w).Encode(map[string]string{"token": token})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if realm == "" {
			realm = "http://" + r.Host + "/token"
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm=%q,service="test"`, realm))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
			return
		}
		next.ServeHTTP(w, r)
	})
	return mux, &issued
}

func TestRegistry(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(nilLogger())))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	img := fixture(t, true)
	ref := host + "/team/app:1.0"
	if err := remote.Write(mustRef(t, ref), img); err != nil {
		t.Fatal(err)
	}
	idxRef := host + "/team/multi:latest"
	if err := remote.WriteIndex(mustRef(t, idxRef), platformIndex(t)); err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"registry:" + ref, ref} {
		src, err := Open(context.Background(), r, OpenOptions{NoDaemon: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Scan(context.Background(), src, ScanOptions{NoCache: true, Scanners: []image.ContentScanner{keyScanner{}}, Capture: image.DefaultCapture})
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
		checkFixture(t, got)
		if got.Source != "registry" || !strings.HasPrefix(got.Digest, "sha256:") {
			t.Errorf("source %q digest %q", got.Source, got.Digest)
		}
	}
	src, err := Open(context.Background(), idxRef, OpenOptions{NoDaemon: true, Platform: "linux/arm64"})
	if err != nil {
		t.Fatal(err)
	}
	if got := archOf(t, src); got != "arm64" {
		t.Errorf("index: got %s", got)
	}
	if _, err := Open(context.Background(), idxRef, OpenOptions{NoDaemon: true, Platform: "windows/amd64"}); err == nil || !strings.Contains(err.Error(), "available: linux/amd64, linux/arm64/v8") {
		t.Errorf("index, missing platform: %v", err)
	}
	_, err = Open(context.Background(), host+"/team/app:missing", OpenOptions{NoDaemon: true})
	if err == nil || !strings.Contains(err.Error(), "not found in the registry") || !strings.Contains(err.Error(), "team/app:missing") {
		t.Errorf("missing tag: %v", err)
	}
}

func TestRegistryBearerToken(t *testing.T) {
	h, issued := tokenAuth(t, registry.New(registry.Logger(nilLogger())), "ci", "hunter2")
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	ref := host + "/private/app:1"

	// Credentials come from a docker config.json, as after docker login.
	cfgDir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte("ci:hunter2"))
	os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(`{"auths":{"`+host+`":{"auth":"`+auth+`"}}}`), 0o600)
	t.Setenv("DOCKER_CONFIG", cfgDir)

	img := fixture(t, false)
	if err := remote.Write(mustRef(t, ref), img, remote.WithAuthFromKeychain(defaultKeychain())); err != nil {
		t.Fatal(err)
	}
	before := issued.Load()
	src, err := Open(context.Background(), ref, OpenOptions{NoDaemon: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Scan(context.Background(), src, ScanOptions{NoCache: true, Scanners: []image.ContentScanner{keyScanner{}}, Capture: image.DefaultCapture})
	src.Close()
	if err != nil {
		t.Fatal(err)
	}
	checkFixture(t, got)
	if issued.Load() == before {
		t.Error("no token was issued")
	}

	// Wrong credentials: a clear refusal, not a crash.
	os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(`{"auths":{"`+host+`":{"auth":"`+base64.StdEncoding.EncodeToString([]byte("ci:wrong"))+`"}}}`), 0o600)
	_, err = Open(context.Background(), ref, OpenOptions{NoDaemon: true})
	if err == nil || !strings.Contains(err.Error(), "refused the credentials") {
		t.Errorf("wrong credentials: %v", err)
	}
	var terr interface{ Error() string }
	if errors.As(err, &terr) && strings.Contains(err.Error(), "hunter2") {
		t.Error("error leaks the password")
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

package pin

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// testRegistry serves go-containerregistry's registry on loopback with an
// image at test/app:1 and a multi-platform index at test/multi:2, and
// returns its host and the two digests.
func testRegistry(t *testing.T) (host, imgDigest, idxDigest string) {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	host = u.Host
	img, err := random.Image(256, 2)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag(host+"/test/app:1", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, img); err != nil {
		t.Fatal(err)
	}
	idx, err := random.Index(128, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	itag, err := name.NewTag(host+"/test/multi:2", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(itag, idx); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	id, _ := idx.Digest()
	return host, d.String(), id.String()
}

func TestPinDockerfile(t *testing.T) {
	host, imgD, idxD := testRegistry(t)
	pinned := "FROM scratch AS empty\n"
	src := strings.NewReplacer("HOST", host, "PINNED", "sha256:"+strings.Repeat("b", 64)).Replace(
		"ARG BASE=HOST/test/app:1\n" +
			"ARG V=2\n" +
			"FROM HOST/test/app:1 AS build\n" +
			"RUN make\n" +
			"FROM --platform=linux/amd64 HOST/test/multi:2 AS multi\n" +
			"FROM build AS again\n" +
			pinned +
			"FROM HOST/test/app:1@PINNED AS already\n" +
			"FROM ${BASE} AS fromarg\n" +
			"FROM HOST/test/multi:${V} AS mixed\n" +
			"FROM HOST/test/app:1\n")
	targets, err := DockerfileTargets("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := &Resolver{}
	out, res := Apply(context.Background(), []byte(src), targets, r.Digest)
	want := strings.NewReplacer("HOST", host, "PINNED", "sha256:"+strings.Repeat("b", 64), "IMG", imgD, "IDX", idxD).Replace(
		"ARG BASE=HOST/test/app:1@IMG\n" +
			"ARG V=2\n" +
			"FROM HOST/test/app:1@IMG AS build\n" +
			"RUN make\n" +
			"FROM --platform=linux/amd64 HOST/test/multi:2@IDX AS multi\n" +
			"FROM build AS again\n" +
			pinned +
			"FROM HOST/test/app:1@PINNED AS already\n" +
			"FROM ${BASE} AS fromarg\n" +
			"FROM HOST/test/multi:${V} AS mixed\n" +
			"FROM HOST/test/app:1@IMG\n")
	if string(out) != want {
		t.Fatalf("pinned:\n%s\nwant:\n%s", out, want)
	}
	var refused []string
	for _, p := range res {
		if p.Err != nil {
			t.Errorf("%s: %v", p.Ref, p.Err)
		}
		if p.Refused != "" {
			refused = append(refused, p.Refused)
		}
	}
	if len(refused) != 1 || !strings.Contains(refused[0], "mixes build arguments") {
		t.Errorf("refused %q, want the mixed FROM only", refused)
	}
	// Pinned references are left alone: a second run pins nothing.
	again, err := DockerfileTargets("Dockerfile", out)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range again {
		if tg.Refused == "" {
			t.Errorf("a pinned file still has a target %+v", tg)
		}
	}
}

func TestPinCompose(t *testing.T) {
	host, imgD, idxD := testRegistry(t)
	src := strings.ReplaceAll(`services:
  web:
    image: HOST/test/app:1   # the app
  worker:
    image: "HOST/test/multi:2"
  built:
    build: .
    image: HOST/test/app:1
  env:
    image: HOST/test/app:${TAG:-1}
  done:
    image: HOST/test/app:1@sha256:`+strings.Repeat("c", 64)+`
`, "HOST", host)
	targets, err := ComposeTargets("compose.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := &Resolver{Insecure: true}
	out, res := Apply(context.Background(), []byte(src), targets, r.Digest)
	want := strings.NewReplacer(host+"/test/app:1   #", host+"/test/app:1@"+imgD+"   #",
		`"`+host+`/test/multi:2"`, `"`+host+`/test/multi:2@`+idxD+`"`).Replace(src)
	if string(out) != want {
		t.Fatalf("pinned:\n%s\nwant:\n%s", out, want)
	}
	refused := 0
	for _, p := range res {
		if p.Err != nil {
			t.Errorf("%s: %v", p.Ref, p.Err)
		}
		if p.Refused != "" {
			refused++
			if !strings.Contains(p.Refused, "service env") {
				t.Errorf("refused %q", p.Refused)
			}
		}
	}
	if refused != 1 {
		t.Errorf("%d refused, want the interpolated image only", refused)
	}
}

// TestPinRegistryErrors: a tag the registry does not have and a registry
// that does not answer are errors of that reference alone, and the file
// keeps its bytes there.
func TestPinRegistryErrors(t *testing.T) {
	host, imgD, _ := testRegistry(t)
	dead := httptest.NewServer(nil)
	deadHost := strings.TrimPrefix(dead.URL, "http://")
	dead.Close()
	src := "FROM " + host + "/test/missing:9\nFROM " + deadHost + "/x/y:1\nFROM " + host + "/test/app:1\n"
	targets, err := DockerfileTargets("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := &Resolver{}
	out, res := Apply(context.Background(), []byte(src), targets, r.Digest)
	want := "FROM " + host + "/test/missing:9\nFROM " + deadHost + "/x/y:1\nFROM " + host + "/test/app:1@" + imgD + "\n"
	if string(out) != want {
		t.Fatalf("pinned:\n%s\nwant:\n%s", out, want)
	}
	if len(res) != 3 || res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "not found") || res[1].Err == nil || res[2].Err != nil {
		t.Fatalf("results %+v", res)
	}
}

// TestPinComposeEnvFile: an image interpolated from the .env file beside
// the compose file is refused (the value is set elsewhere), not pinned.
func TestPinComposeEnvFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("TAG=2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "compose.yaml")
	src := "services:\n  app:\n    image: registry.example.com/app:${TAG}\n"
	targets, err := ComposeTargets(path, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 1 || targets[0].Refused == "" {
		t.Fatalf("targets %+v, want one refused", targets)
	}
}

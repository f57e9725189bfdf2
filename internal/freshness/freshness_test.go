package freshness_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/shipshape-sec/shipshape/internal/freshness"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

// debian returns a Debian 12 image created at created whose dpkg database
// holds openssl and bash at the given versions.
func debian(created time.Time, openssl string) imagetest.Image {
	status := fmt.Sprintf("Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\n\n"+
		"Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\n\n", openssl)
	return imagetest.Image{Created: created, Layers: []imagetest.Layer{{
		CreatedBy: "ADD rootfs /",
		Entries: []imagetest.Entry{
			imagetest.File("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
			imagetest.File("var/lib/dpkg/status", status),
		},
	}}}
}

// movedTag pushes an old image to repo:12, then a newer one under the
// same tag, and returns both digests.
func movedTag(t *testing.T) (tag, old, cur string) {
	host := trusttest.Registry(t)
	tag = host + "/library/debian:12"
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	old = trusttest.Push(t, tag, imagetest.Build(t, debian(day, "3.0.11-1~deb12u2")))
	cur = trusttest.Push(t, tag, imagetest.Build(t, debian(day.AddDate(0, 0, 42), "3.0.13-1~deb12u1")))
	return tag, old, cur
}

func options() freshness.Options {
	return freshness.Options{Open: imageread.OpenOptions{Insecure: true}, Name: []name.Option{name.Insecure}}
}

func TestCheck(t *testing.T) {
	tag, old, cur := movedTag(t)
	v, err := freshness.Check(context.Background(), tag, old, "the image", options())
	if err != nil {
		t.Fatal(err)
	}
	if !v.Behind() || v.Current != cur || v.DaysBehind != 42 {
		t.Fatalf("verdict = %+v, want behind by 42 days at %s", v, cur)
	}
	if len(v.Upgraded) != 1 || v.Upgraded[0] != "openssl 3.0.11-1~deb12u2 -> 3.0.13-1~deb12u1" {
		t.Fatalf("upgraded = %q", v.Upgraded)
	}
	v, err = freshness.Check(context.Background(), tag, cur, "the image", options())
	if err != nil || v.Behind() {
		t.Fatalf("current digest: %+v, %v", v, err)
	}
	// The used digest is gone from the registry: still behind, with a note.
	v, err = freshness.Check(context.Background(), tag, "sha256:"+strings.Repeat("0", 64), "the image", options())
	if err != nil || !v.Behind() || v.DaysBehind != -1 || v.Note == "" {
		t.Fatalf("gone: %+v, %v", v, err)
	}
	// Unreachable registry and missing tag: errors, never a pass.
	if _, err := freshness.Check(context.Background(), "127.0.0.1:1/x:1", old, "the image", options()); err == nil {
		t.Fatal("unreachable: want an error")
	}
	if _, err := freshness.Check(context.Background(), strings.Replace(tag, ":12", ":13", 1), old, "the image", options()); err == nil {
		t.Fatal("missing tag: want an error")
	}
}

func TestTarget(t *testing.T) {
	img := &image.Image{}
	d := "sha256:" + strings.Repeat("a", 64)
	if tag, used, _, ok := freshness.Target("registry:r.example/app:1.4@"+d, img); !ok || tag != "r.example/app:1.4" || used != d {
		t.Fatalf("tag@digest: %q %q %v", tag, used, ok)
	}
	if _, _, _, ok := freshness.Target("r.example/app@"+d, img); ok {
		t.Fatal("a digest without a tag has nothing to compare")
	}
	img.Config.Labels = map[string]string{"org.opencontainers.image.base.name": "docker.io/library/debian:12-slim", "org.opencontainers.image.base.digest": d}
	if tag, used, subject, ok := freshness.Target("app.tar", img); !ok || tag != "docker.io/library/debian:12-slim" || used != d || subject != "the base image" {
		t.Fatalf("base labels: %q %q %q %v", tag, used, subject, ok)
	}
}

package cli_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

// TestImageCheckUpdates: a tag moved to a newer image is reported by
// image --check-updates (IM1009) with the days and the upgraded package;
// the current digest, and runs without the flag, are quiet.
func TestImageCheckUpdates(t *testing.T) {
	host := trusttest.Registry(t)
	tag := host + "/acme/app:1"
	build := func(created time.Time, curl string) imagetest.Image {
		return imagetest.Image{Created: created, Config: imagetest.Config{User: "10001", Labels: map[string]string{}}, Layers: []imagetest.Layer{{
			CreatedBy: "ADD rootfs /",
			Entries: []imagetest.Entry{
				imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"),
				imagetest.File("var/lib/dpkg/status", fmt.Sprintf("Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\n\n", curl)),
			},
		}}}
	}
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	old := trusttest.Push(t, tag, imagetest.Build(t, build(day, "7.88.1-10+deb12u5")))
	cur := trusttest.Push(t, tag, imagetest.Build(t, build(day.AddDate(0, 0, 9), "7.88.1-10+deb12u8")))
	im1009 := func(args ...string) (result, []string) {
		r := run(t, "", append([]string{"image", "--no-cache", "--scanners", "secret", "--format", "json", "--insecure"}, args...)...)
		var msgs []string
		for _, f := range decodeJSON(t, r).Findings {
			if f.RuleID == "IM1009" {
				msgs = append(msgs, f.Message)
			}
		}
		return r, msgs
	}
	r, msgs := im1009("--check-updates", tag+"@"+old)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "now points at "+cur+" (9 days newer)") || !strings.Contains(msgs[0], "curl 7.88.1-10+deb12u5 -> 7.88.1-10+deb12u8") {
		t.Fatalf("old digest: %q\n%s", msgs, r)
	}
	if _, msgs := im1009("--check-updates", tag+"@"+cur); len(msgs) != 0 {
		t.Fatalf("current digest: %q", msgs)
	}
	if _, msgs := im1009(tag + "@" + old); len(msgs) != 0 {
		t.Fatalf("offline run: %q", msgs)
	}
	// Unreachable registry: exit 2.
	wantCode(t, run(t, "", "image", "--no-cache", "--scanners", "secret", "--insecure", "--check-updates", "127.0.0.1:1/acme/app:1@"+old), 2)
}

// TestLintOnline: lint --online reports a pinned base whose tag moved
// (DF1207), stays quiet for the current digest and offline, and exits 2
// when the registry cannot be reached.
func TestLintOnline(t *testing.T) {
	host := trusttest.Registry(t)
	tag := host + "/library/debian:12"
	im := func(created time.Time, v string) imagetest.Image {
		return imagetest.Image{Created: created, Layers: []imagetest.Layer{{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
			imagetest.File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
			imagetest.File("var/lib/dpkg/status", "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: "+v+"\n\n"),
		}}}}
	}
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	old := trusttest.Push(t, tag, imagetest.Build(t, im(day, "2.36-9+deb12u7")))
	cur := trusttest.Push(t, tag, imagetest.Build(t, im(day.AddDate(0, 0, 3), "2.36-9+deb12u9")))
	dir := t.TempDir()
	write := func(digest string) string {
		p := dir + "/Dockerfile." + digest[7:15]
		if err := os.WriteFile(p, []byte("FROM "+tag+"@"+digest+"\nUSER 10001\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	df1207 := func(args ...string) []string {
		r := run(t, "", append([]string{"lint", "--format", "json"}, args...)...)
		var msgs []string
		for _, f := range decodeJSON(t, r).Findings {
			if f.RuleID == "DF1207" {
				msgs = append(msgs, f.Message)
			}
		}
		return msgs
	}
	if msgs := df1207("--online", write(old)); len(msgs) != 1 || !strings.Contains(msgs[0], "now names "+cur+" (3 days newer)") || !strings.Contains(msgs[0], "libc6 2.36-9+deb12u7 -> 2.36-9+deb12u9") {
		t.Fatalf("moved: %q", msgs)
	}
	if msgs := df1207("--online", write(cur)); len(msgs) != 0 {
		t.Fatalf("current: %q", msgs)
	}
	if msgs := df1207(write(old)); len(msgs) != 0 {
		t.Fatalf("offline: %q", msgs)
	}
	p := dir + "/Dockerfile.unreachable"
	os.WriteFile(p, []byte("FROM 127.0.0.1:1/x:1@"+old+"\n"), 0o600)
	wantCode(t, run(t, "", "lint", "--online", p), 2)
}

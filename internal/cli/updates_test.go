package cli_test

import (
	"fmt"
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

package basefamily

import (
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/eol"
)

func refs(vs []Variant) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Kind + "=" + v.Ref()
	}
	return strings.Join(out, " ")
}

// TestLeanerOf: the variants each family offers for a full image, and
// silence for lean images, unknown families and Ubuntu.
func TestLeanerOf(t *testing.T) {
	cases := []struct {
		img  Image
		want string
		os   bool
	}{
		{Image{Official: "node", Tag: "20"}, "slim=node:20-slim alpine=node:20-alpine distroless=gcr.io/distroless/nodejs20-debian12", false},
		{Image{Official: "node", Tag: "18-bullseye"}, "slim=node:18-slim alpine=node:18-alpine", false},
		{Image{Official: "python", Tag: "3.12"}, "slim=python:3.12-slim alpine=python:3.12-alpine", false},
		{Image{Official: "debian", Tag: "bookworm"}, "slim=debian:bookworm-slim distroless=gcr.io/distroless/base-debian12", true},
		{Image{Official: "debian", Tag: "11"}, "slim=debian:11-slim", true},
		{Image{Official: "golang", Tag: "1.25"}, "distroless=gcr.io/distroless/static-debian12", false},
		{Image{Official: "eclipse-temurin", Tag: "17-jdk"}, "jre=eclipse-temurin:17-jre", false},
		{Image{Name: "registry.access.redhat.com/ubi9"}, "minimal=registry.access.redhat.com/ubi9/ubi-minimal micro=registry.access.redhat.com/ubi9/ubi-micro", true},
		{Image{Official: "node", Tag: "20-slim"}, "", false},
		{Image{Official: "python", Tag: "3.12-alpine3.20"}, "", false},
		{Image{Official: "debian", Tag: "bookworm-slim"}, "", false},
		{Image{Official: "ubuntu", Tag: "24.04"}, "", false},
		{Image{Official: "nginx", Tag: "1.27"}, "", false},
		{Image{Name: "gcr.io/distroless/static-debian12"}, "", false},
		{Image{Name: "ghcr.io/acme/app", Tag: "1"}, "", false},
	}
	for _, c := range cases {
		l, ok := LeanerOf(c.img)
		if got := refs(l.Variants); got != c.want || ok != (c.want != "") || l.OS != c.os {
			t.Errorf("LeanerOf(%+v) = %q ok=%v os=%v, want %q os=%v", c.img, got, ok, l.OS, c.want, c.os)
		}
		if ok && l.Advice == "" {
			t.Errorf("LeanerOf(%+v): no advice", c.img)
		}
	}
}

func TestOfficial(t *testing.T) {
	for in, want := range map[string]string{
		"docker.io library/node":                      "node",
		"docker.io acme/node":                         "",
		"public.ecr.aws docker/library/python":        "python",
		"mirror.gcr.io library/debian":                "debian",
		"ghcr.io library/node":                        "",
		"docker.io library/node/extra":                "",
		"mcr.microsoft.com mirror/docker/library/php": "php",
	} {
		d, p, _ := strings.Cut(in, " ")
		if got := Official(d, p); got != want {
			t.Errorf("Official(%s) = %q, want %q", in, got, want)
		}
	}
}

// TestUpgradeTag: at a fixed date, each release named by a tag moves to
// its longest-supported successor in the same spelling, and products that
// are no drop-in upgrade stay.
func TestUpgradeTag(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	table := eol.Default()
	ended := func(repo, tag string) []eol.Cycle {
		var out []eol.Cycle
		for _, c := range table.Image(repo, tag) {
			if c.PastEOL(now) {
				out = append(out, c)
			}
		}
		return out
	}
	cases := []struct{ repo, tag, want string }{
		{"node", "20", "24"},
		{"node", "18-bullseye-slim", "24-trixie-slim"},
		{"node", "20-alpine3.20", "24-alpine3.23"},
		{"python", "3.9-slim-bookworm", "3.14-slim-bookworm"},
		{"debian", "buster", "trixie"},
		{"python", "2.7", ""},            // Python 3 is another language
		{"postgres", "11", ""},           // a data directory upgrade
		{"ubuntu", "focal-20240530", ""}, // a dated tag
		{"node", "22", ""},               // nothing ended
	}
	for _, c := range cases {
		u, ok := UpgradeTag(table, c.repo, c.tag, now, ended(c.repo, c.tag))
		if u.Tag != c.want || ok != (c.want != "") {
			t.Errorf("UpgradeTag(%s:%s) = %q (%s) ok=%v, want %q", c.repo, c.tag, u.Tag, u.Moved(), ok, c.want)
		}
	}
	// A release still supported moves when asked to, to the line that lasts longest.
	own, _ := table.Lookup("nodejs", "22")
	if u, ok := UpgradeTag(table, "node", "22-slim", now, []eol.Cycle{own}); !ok || u.Tag != "24-slim" || u.Moved() != "Node.js 22 to Node.js 24" {
		t.Errorf("node:22-slim asked to move: %+v %v", u, ok)
	}
}

package recommend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/eol"
)

// now is the clock of the offline tests: Node.js 20 ended on 2026-04-30,
// Node.js 22 lasts until 2027-04-30 and 24 until 2028-04-30.
var now = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)

func summary(rec Recommendation) string {
	var out []string
	for _, c := range rec.Candidates {
		out = append(out, c.Severity.String()+" "+c.Kind+" "+c.Ref)
	}
	return strings.Join(out, ", ")
}

func offline(t *testing.T, ref string, m Mirrors) Recommendation {
	t.Helper()
	tg, err := ParseTarget(ref, m)
	if err != nil {
		t.Fatal(err)
	}
	return Offline(tg, eol.Default(), now)
}

// TestOfflineFamilies: the leaner variants of the same release and the
// newer supported tag for several families; an ended release is replaced
// by its successor and that successor's variants, at high.
func TestOfflineFamilies(t *testing.T) {
	cases := map[string]string{
		"node:20":                             "high newer-release node:24, high slim node:24-slim, high alpine node:24-alpine, high distroless gcr.io/distroless/nodejs24-debian12",
		"node:22":                             "medium slim node:22-slim, medium alpine node:22-alpine, medium distroless gcr.io/distroless/nodejs22-debian12, low newer-release node:24",
		"node:18-bullseye":                    "high newer-release node:24-trixie, high slim node:24-slim, high alpine node:24-alpine, high distroless gcr.io/distroless/nodejs24-debian12",
		"python:3.12":                         "medium slim python:3.12-slim, medium alpine python:3.12-alpine, low newer-release python:3.14",
		"debian:bookworm":                     "low slim debian:bookworm-slim, low distroless gcr.io/distroless/base-debian12, low newer-release debian:trixie",
		"debian:buster":                       "high newer-release debian:trixie, high slim debian:trixie-slim, high distroless gcr.io/distroless/base-debian13",
		"golang:1.26":                         "medium distroless gcr.io/distroless/static-debian12",
		"eclipse-temurin:21-jdk":              "medium jre eclipse-temurin:21-jre",
		"centos:7":                            "high minimal registry.access.redhat.com/ubi9/ubi-minimal, high minimal rockylinux:9-minimal",
		"registry.access.redhat.com/ubi9:9.5": "low minimal registry.access.redhat.com/ubi9/ubi-minimal, low micro registry.access.redhat.com/ubi9/ubi-micro",
		// A mirror of the library namespace keeps official candidates in it.
		"public.ecr.aws/docker/library/python:3.13": "medium slim public.ecr.aws/docker/library/python:3.13-slim, medium alpine public.ecr.aws/docker/library/python:3.13-alpine, low newer-release public.ecr.aws/docker/library/python:3.14",
	}
	for ref, want := range cases {
		rec := offline(t, ref, nil)
		if got := summary(rec); got != want {
			t.Errorf("%s:\n got  %s\n want %s", ref, got, want)
		}
		for _, c := range rec.Candidates {
			if len(c.Reasons) == 0 || !c.Recommended && c.Found != nil {
				t.Errorf("%s: %s has no reason", ref, c.Ref)
			}
		}
	}
	rec := offline(t, "node:20", nil)
	if len(rec.Ended) != 1 || rec.Ended[0] != "Node.js 20 reached end of life on 2026-04-30" {
		t.Errorf("node:20 ended: %q", rec.Ended)
	}
	if r := rec.Candidates[0].Reasons; len(r) != 1 || r[0] != "Node.js 20 reached end of life on 2026-04-30; Node.js 24 is supported until 2028-04-30" {
		t.Errorf("node:20 -> node:24 reasons: %q", r)
	}
}

// TestOfflineQuiet: nothing is recommended for scratch, distroless, an
// unknown family, an image that is already the slim variant of the newest
// long-term release, Ubuntu and an end-of-life release with no supported
// tag of the same image.
func TestOfflineQuiet(t *testing.T) {
	for ref, note := range map[string]string{
		"scratch":                           "no known image family",
		"gcr.io/distroless/static-debian12": "no known image family",
		"ghcr.io/acme/app:1.4":              "no known image family",
		"nginx:1.27":                        "no known image family",
		"node:24-slim":                      "already the leanest",
		"python:3.14-alpine":                "already the leanest",
		"debian:trixie-slim":                "already the leanest",
		"ubuntu:24.04":                      "already the leanest",
		"python:2.7-slim":                   "no supported tag of the same image",
	} {
		rec := offline(t, ref, nil)
		if len(rec.Candidates) != 0 || !strings.Contains(rec.Note, note) {
			t.Errorf("%s: %s (note %q), want none and a note with %q", ref, summary(rec), rec.Note, note)
		}
	}
}

// TestMirrors: a docker.io mirror given on the command line is read as
// Docker Hub, and every reference is resolved through it.
func TestMirrors(t *testing.T) {
	m := Mirrors{}
	if err := m.Set("index.docker.io=127.0.0.1:5000/hub/"); err != nil {
		t.Fatal(err)
	}
	if err := m.Set("gcr.io"); err == nil {
		t.Error("a mirror without = was accepted")
	}
	rec := offline(t, "127.0.0.1:5000/hub/library/debian:bookworm", m)
	if rec.Family != "debian" || len(rec.Candidates) == 0 || rec.Candidates[0].Ref != "debian:bookworm-slim" {
		t.Fatalf("mirrored debian: %+v", rec)
	}
	for in, want := range map[string]string{
		"debian:bookworm-slim":                   "127.0.0.1:5000/hub/library/debian:bookworm-slim",
		"gcr.io/distroless/base-debian12":        "gcr.io/distroless/base-debian12",
		"node@sha256:" + strings.Repeat("a", 64): "127.0.0.1:5000/hub/library/node@sha256:" + strings.Repeat("a", 64),
	} {
		if got, err := m.Resolve(in); err != nil || got != want {
			t.Errorf("Resolve(%s) = %q, %v, want %q", in, got, err, want)
		}
	}
}

// TestFromDockerfile: the final stage's base, through the stage it is
// built FROM, located at that FROM line; build stages are not targets.
func TestFromDockerfile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := write("Dockerfile", "ARG NODE=20\nFROM golang:1.26 AS build\nRUN go build -o /app .\n\nFROM node:${NODE} AS base\nFROM base AS runtime\nCOPY --from=build /app /app\n")
	tg, err := FromDockerfile(p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tg.Ref != "node:20" || tg.Line != 5 || tg.Stage == "" || tg.Image.Official != "node" {
		t.Errorf("target %+v", tg)
	}
	if tg, _ := FromDockerfile(p, map[string]string{"NODE": "24-slim"}, nil); tg.Ref != "node:24-slim" {
		t.Errorf("with --build-arg: %+v", tg)
	}
	tg, err = FromDockerfile(write("Dockerfile.scratch", "FROM golang:1.26 AS build\nFROM scratch\nCOPY --from=build /app /app\n"), nil, nil)
	if err != nil || tg.Ref != "scratch" || tg.Line != 2 {
		t.Fatalf("scratch: %+v %v", tg, err)
	}
	if rec := Offline(tg, eol.Default(), now); len(rec.Candidates) != 0 {
		t.Errorf("scratch: %s", summary(rec))
	}
	if _, err := FromDockerfile(filepath.Join(dir, "missing"), nil, nil); err == nil {
		t.Error("a missing Dockerfile read")
	}
}

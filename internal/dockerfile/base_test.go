package dockerfile_test

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// lastImage returns the external image of the last stage of src.
func lastImage(t *testing.T, src string) (dockerfile.BaseImage, bool) {
	t.Helper()
	f := parse(t, src)
	return f.Stages[len(f.Stages)-1].Image()
}

func TestStageImage(t *testing.T) {
	cases := []struct {
		src, name, tag, official string
		ok                       bool
	}{
		{"FROM node", "docker.io/library/node", "", "node", true},
		{"FROM library/node:22", "docker.io/library/node", "22", "node", true},
		{"FROM index.docker.io/library/node:22", "docker.io/library/node", "22", "node", true},
		{"FROM public.ecr.aws/docker/library/python:3.13-slim", "public.ecr.aws/docker/library/python", "3.13-slim", "python", true},
		{"FROM bitnami/nginx:1", "docker.io/bitnami/nginx", "1", "", true},
		{"FROM localhost:5000/app:dev", "localhost:5000/app", "dev", "", true},
		{"FROM scratch", "", "", "", false},
		{"FROM Node:22", "", "", "", false},
		{"FROM a AS x\nFROM x", "", "", "", false},
		{"ARG V\nFROM node:$V", "", "", "", false},
		{"ARG V=22\nFROM node:$V", "docker.io/library/node", "22", "node", true},
	}
	for _, c := range cases {
		b, ok := lastImage(t, c.src)
		if ok != c.ok || b.Name != c.name || b.Tag != c.tag || b.Official != c.official {
			t.Errorf("%q: got ok=%v name=%q tag=%q official=%q", c.src, ok, b.Name, b.Tag, b.Official)
		}
	}
	b, _ := lastImage(t, "FROM alpine@sha256:"+sha)
	if b.Digest != "sha256:"+sha || b.Tag != "" {
		t.Errorf("digest: %+v", b)
	}
}

const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestImageMatches(t *testing.T) {
	b, ok := lastImage(t, "FROM mirror.gcr.io/library/node:22-slim")
	if !ok {
		t.Fatal("no image")
	}
	for _, p := range []string{"node", "node:22-*", "mirror.gcr.io/*", "NODE:22-SLIM", "mirror.gcr.io/library/node:2?-slim"} {
		if !b.Matches([]string{"python", p}) {
			t.Errorf("%s does not match", p)
		}
	}
	for _, p := range []string{"nod", "node:20*", "docker.io/*", "?node"} {
		if b.Matches([]string{p}) {
			t.Errorf("%s matches", p)
		}
	}
	if b.Matches(nil) {
		t.Error("no pattern matches")
	}
	if re := dockerfile.ImagePattern("gcr.io/distroless/*:nonroot"); !re.MatchString("gcr.io/distroless/static:nonroot") || re.MatchString("gcr.io/distroless/static:latest") {
		t.Error("ImagePattern answers wrongly")
	}
}

func TestUserAndIsRoot(t *testing.T) {
	f := parse(t, "FROM alpine\nARG UID=0\nUSER ${UID}:wheel\nUSER app\n")
	users := f.Stages[0].ByKeyword("USER")
	if u, g, raw := users[0].User(); u != "0" || g != "wheel" || raw != "${UID}:wheel" {
		t.Errorf("User() = %q %q %q", u, g, raw)
	}
	var none *dockerfile.Instruction
	if u, _, _ := none.User(); u != "" {
		t.Error("a nil USER names a user")
	}
	for user, want := range map[string]bool{"root": true, "0": true, "00": true, "app": false, "1000": false, "-0": false, "": false} {
		if got := dockerfile.IsRoot(user, false); got != want {
			t.Errorf("IsRoot(%q) = %v", user, got)
		}
	}
	if !dockerfile.IsRoot("ContainerAdministrator", true) || dockerfile.IsRoot("ContainerAdministrator", false) || dockerfile.IsRoot("ContainerUser", true) {
		t.Error("IsRoot on Windows accounts answers wrongly")
	}
}

// TestMatchImagePatternAgreesWithRegexp checks the wildcard matcher against
// the compiled pattern, which defines it, on patterns and names chosen for
// the corners: stars at either end and in a row, `?` against multi-byte
// runes and invalid UTF-8, newlines, upper case, and backtracking.
func TestMatchImagePatternAgreesWithRegexp(t *testing.T) {
	patterns := []string{"", "*", "**", "?", "node", "NODE", " node ", "node*", "*node", "*node*", "n*e", "n?de",
		"gcr.io/distroless/*:nonroot", "gcr.io/distroless/*:*-nonroot", "*:*-nonroot", "cgr.dev/chainguard/*",
		"mcr.microsoft.com/dotnet/*:*-chiseled*", "a*a*a*b", "*a?", "?*?", "é*", "?", "\xff*", "*\xff", "a.b", "a+b", "[x]",
		"*\n*", "a\nb", "jenkins/jenkins*", "*/*/*"}
	names := []string{"", "a", "node", "node:20", "nodes", "nde", "noe", "n\u00e9e", "\u00e9", "\u00e9t\u00e9", "\xff", "\xffx", "x\xff",
		"gcr.io/distroless/static:nonroot", "gcr.io/distroless/static:latest", "gcr.io/distroless/static:debug-nonroot",
		"cgr.dev/chainguard/static", "mcr.microsoft.com/dotnet/runtime:8.0-jammy-chiseled-extra", "aaaaaaaaab", "aaaaaaaaa",
		"ab", "abc", "a.b", "axb", "a+b", "aab", "[x]", "x", "a\nb", "node\n", "\nnode", "jenkins/jenkins:lts", "a/b/c", "a/b"}
	for _, p := range patterns {
		re := dockerfile.ImagePattern(p)
		for _, n := range names {
			if got, want := dockerfile.MatchImagePattern(p, n), re.MatchString(n); got != want {
				t.Errorf("MatchImagePattern(%q, %q) = %v, the compiled pattern says %v", p, n, got, want)
			}
		}
	}
}

// BenchmarkImagePatterns matches a base image against DF1100's default
// list of non-root images, as that rule does for every final stage.
func BenchmarkImagePatterns(b *testing.B) {
	patterns := []string{"gcr.io/distroless/*:nonroot", "gcr.io/distroless/*:*-nonroot", "gcr.io/distroless/*:nonroot-*",
		"*:*-nonroot", "cgr.dev/chainguard/*", "cgr.dev/chainguard/wolfi-base*", "mcr.microsoft.com/dotnet/*:*-chiseled*",
		"mcr.microsoft.com/dotnet/*:*-distroless*", "mcr.microsoft.com/windows/nanoserver*", "quay.io/jupyter/*", "jupyter/*",
		"jenkins/jenkins*", "jenkins/agent*", "jenkins/inbound-agent*", "mcr.microsoft.com/dotnet/*:*nanoserver*",
		"docker.elastic.co/*", "grafana/k6*"}
	const name = "library/python:3.12-slim-bookworm"
	b.Run("wildcard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range patterns {
				dockerfile.MatchImagePattern(p, name)
			}
		}
	})
	// What DF1100 did before: compile each pattern for each stage.
	b.Run("compiled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range patterns {
				dockerfile.ImagePattern(p).MatchString(name)
			}
		}
	})
}

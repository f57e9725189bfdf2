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

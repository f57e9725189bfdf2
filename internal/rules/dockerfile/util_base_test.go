package dockerfile

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

func parseBase(t *testing.T, src string) (*dockerfile.File, baseImage, bool) {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, ok := externalBase(f, f.Stages[len(f.Stages)-1])
	return f, b, ok
}

func TestExternalBase(t *testing.T) {
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
		_, b, ok := parseBase(t, c.src)
		if ok != c.ok || b.Name != c.name || b.Tag != c.tag || b.Official != c.official {
			t.Errorf("%q: got ok=%v name=%q tag=%q official=%q", c.src, ok, b.Name, b.Tag, b.Official)
		}
	}
}

func TestTrustedRegistry(t *testing.T) {
	cases := []struct {
		ref  string
		regs []string
		want bool
	}{
		{"node:22", []string{"docker.io"}, true},
		{"node:22", []string{"index.docker.io"}, true},
		{"gcr.io/distroless/static", []string{"gcr.io/distroless"}, true},
		{"gcr.io/distroless-x/static", []string{"gcr.io/distroless"}, false},
		{"a.example.com/x:1", []string{"*.example.com"}, true},
		{"evil.com/a.example.com/x:1", []string{"*.example.com"}, false},
		{"quay.io/x/y", []string{"docker.io", "gcr.io"}, false},
	}
	for _, c := range cases {
		_, b, ok := parseBase(t, "FROM "+c.ref)
		if !ok {
			t.Fatalf("%s did not parse", c.ref)
		}
		if got := trustedRegistry(c.regs, b); got != c.want {
			t.Errorf("trustedRegistry(%v, %s) = %v", c.regs, c.ref, got)
		}
	}
}

func TestIsDevContainer(t *testing.T) {
	for path, want := range map[string]bool{
		"repo/.devcontainer/Dockerfile":         true,
		".devcontainer/base.Dockerfile":         true,
		"repo/Dockerfile":                       false,
		"repo/devcontainer-tools/Dockerfile":    false,
		"repo/.devcontainer-old/x/a.dockerfile": false,
	} {
		if got := isDevContainer(path); got != want {
			t.Errorf("isDevContainer(%q) = %v", path, got)
		}
	}
}

func TestMinimalAdvice(t *testing.T) {
	cases := map[string]string{
		"node:22-bookworm":                 "node:22-slim or node:22-alpine",
		"node":                             "node:slim or node:alpine",
		"python:3.13-slim":                 "",
		"php:8.3-fpm":                      "php:8.3-fpm-alpine",
		"php:8.3-fpm-bookworm":             "php:8.3-fpm-alpine",
		"debian:12":                        "debian:12-slim or a distroless image",
		"debian":                           "debian:stable-slim or a distroless image",
		"openjdk:17-jdk":                   "eclipse-temurin:17-jre (the openjdk images are deprecated and ship a full JDK)",
		"eclipse-temurin:8u412-b08-jdk":    "eclipse-temurin:8-jre instead of the JDK",
		"eclipse-temurin:21-jre-noble":     "",
		"mcr.microsoft.com/dotnet/sdk:9.0": "mcr.microsoft.com/dotnet/aspnet:9.0 or mcr.microsoft.com/dotnet/runtime:9.0, publishing from an sdk build stage",
		"nginx:1.27":                       "",
		"rockylinux:9":                     "rockylinux:9-minimal",
	}
	for ref, want := range cases {
		_, b, ok := parseBase(t, "FROM "+ref)
		if !ok {
			t.Fatalf("%s did not parse", ref)
		}
		if got := minimalAdvice(b); got != want {
			t.Errorf("minimalAdvice(%s) = %q, want %q", ref, got, want)
		}
	}
}

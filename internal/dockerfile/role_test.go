package dockerfile

import (
	"regexp"
	"testing"
)

func TestStageRole(t *testing.T) {
	cases := []struct {
		name, path, src string
		want            Role
		why             string
	}{
		{"expose", "Dockerfile", "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"python\", \"app.py\"]", RoleService, `EXPOSEs 8000`},
		{"inherited expose", "Dockerfile", "FROM alpine AS base\nEXPOSE 80\nFROM base\nCMD [\"/app\"]", RoleService, `EXPOSEs 80`},
		{"healthcheck", "Dockerfile", "FROM alpine\nHEALTHCHECK CMD wget -q localhost\nCMD [\"/app\"]", RoleService, `HEALTHCHECK`},
		{"healthcheck none is no evidence", "Dockerfile", "FROM alpine\nHEALTHCHECK NONE\nCMD [\"/app\"]", RoleApp, `runs app`},
		{"server program", "Dockerfile", "FROM python:3.12\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:80\", \"app:app\"]", RoleService, `runs gunicorn`},
		{"server through tini and sh -c", "Dockerfile", "FROM node:22\nENTRYPOINT [\"tini\", \"--\"]\nCMD sh -c \"exec nginx -g 'daemon off;'\"", RoleService, `runs nginx`},
		{"npm start", "Dockerfile", "FROM node:22\nCMD [\"npm\", \"start\"]", RoleService, `npm start`},
		{"uv run", "Dockerfile", "FROM python:3.12\nCMD [\"uv\", \"run\", \"uvicorn\", \"main:app\"]", RoleService, `runs uvicorn`},
		{"server script", "Dockerfile", "FROM node:22\nCMD [\"node\", \"server.js\"]", RoleService, `runs node server.js`},
		{"server image kept", "Dockerfile", "FROM nginx:1.27\nCOPY site /usr/share/nginx/html", RoleService, `server image nginx`},
		{"server image replaced by shell", "Dockerfile", "FROM nginx:1.27\nCMD [\"sh\"]", RoleBase, `shell \(sh\)`},
		{"aspnet app", "Dockerfile", "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT [\"dotnet\", \"app.dll\"]", RoleService, `ASP.NET Core`},
		{"port variable", "Dockerfile", "FROM node:22\nENV PORT=3000\nCMD [\"node\", \"index.js\"]", RoleService, `sets PORT`},
		{"cli tool", "Dockerfile", "FROM alpine\nENTRYPOINT [\"jq\"]", RoleApp, `runs jq`},
		{"entrypoint script alone", "Dockerfile", "FROM alpine\nENTRYPOINT [\"/entrypoint.sh\"]", RoleApp, `runs entrypoint.sh`},
		{"worker", "Dockerfile", "FROM mcr.microsoft.com/dotnet/runtime:8.0\nENTRYPOINT [\"dotnet\", \"Worker.dll\"]", RoleApp, `runs dotnet`},
		{"go run", "Dockerfile", "FROM golang:1.23\nCMD [\"go\", \"run\", \".\"]", RoleApp, `runs go`},
		{"no command", "Dockerfile", "FROM debian:12\nRUN true", RoleBase, `no CMD or ENTRYPOINT`},
		{"shell", "Dockerfile", "FROM alpine\nCMD [\"/bin/sh\"]", RoleBase, `shell \(sh\)`},
		{"dotnet info", "Dockerfile", "FROM alpine\nENTRYPOINT [\"/usr/bin/dotnet\"]\nCMD [\"--info\"]", RoleBase, `shell \(dotnet\)`},
		{"build tool", "Dockerfile", "FROM eclipse-temurin:21-jdk\nENTRYPOINT [\"/usr/local/bin/mvn-entrypoint.sh\"]\nCMD [\"mvn\"]", RoleToolchain, `mvn toolchain`},
		{"toolchain base", "Dockerfile", "FROM golang:1.23\nRUN go install example.com/tool@v1", RoleToolchain, `toolchain image golang`},
		{"jdk base", "Dockerfile", "FROM eclipse-temurin:21-jdk\nRUN true", RoleToolchain, `eclipse-temurin`},
		{"jre base is not a toolchain", "Dockerfile", "FROM eclipse-temurin:21-jre\nRUN true", RoleBase, `no CMD`},
		{"language image", "Dockerfile", "FROM debian:12\nENV NODE_VERSION=22.1.0\nCMD [\"node\"]", RoleToolchain, `ENV NODE_VERSION`},
		{"language image with entrypoint script", "Dockerfile", "FROM ubuntu:24.04\nENV JAVA_VERSION=jdk-21\nENTRYPOINT [\"/__cacert_entrypoint.sh\"]", RoleToolchain, `ENV JAVA_VERSION`},
		{"sdk folder", "src/sdk/8.0/noble/Dockerfile", "FROM debian:12\nRUN true", RoleToolchain, `SDK`},
		{"dev container", "app/.devcontainer/Dockerfile", "FROM debian:12\nEXPOSE 80", RoleDev, `dev container`},
		{"devcontainers base", "Dockerfile", "FROM mcr.microsoft.com/devcontainers/base:bookworm\nRUN true", RoleDev, `dev container`},
		{"dev file name", "Dockerfile.dev", "FROM node:22\nEXPOSE 3000\nCMD [\"npm\", \"start\"]", RoleDev, `name says`},
		{"ci folder", "hack/dockerfiles/lint.Dockerfile", "FROM golang:1.23\nRUN true", RoleDev, `name says|CI`},
		{"ci folder only", "hack/Dockerfile", "FROM alpine\nCMD [\"/app\"]", RoleDev, `CI or build-tooling folder`},
		{"test folder is no evidence", "tests/e2e/Dockerfile", "FROM nginx\nEXPOSE 80", RoleService, `EXPOSEs 80`},
		{"test folder named", "test/Dockerfile", "FROM alpine\nEXPOSE 80", RoleService, `EXPOSEs 80`},
		{"dev folder", "docker/dev/Dockerfile", "FROM alpine\nEXPOSE 80", RoleDev, `name says`},
		{"dev stage", "Dockerfile", "FROM node:22 AS base\nFROM base AS debug\nCMD [\"node\", \"--inspect\", \"app.js\"]", RoleDev, `stage debug`},
		{"keep alive", "Dockerfile", "FROM ubuntu\nCMD [\"sleep\", \"infinity\"]", RoleDev, `keeps the container alive`},
		{"test script", "Dockerfile", "FROM node:8.9-slim\nCOPY tests.sh /\nCMD [\"/tests.sh\"]", RoleDev, `runs tests`},
		{"gitpod workspace", ".gitpod.Dockerfile", "FROM mcr.microsoft.com/powershell:latest\nRUN true", RoleDev, `name says`},
		{"test runner", "Dockerfile", "FROM python:3.12\nENTRYPOINT [\"pytest\"]", RoleDev, `runs tests`},
		{"entrypoint resets inherited cmd", "Dockerfile", "FROM alpine AS a\nCMD [\"nginx\"]\nFROM a\nENTRYPOINT [\"jq\"]", RoleApp, `runs jq`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(c.path, []byte(c.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := f.Target.Role()
			if got.Role != c.want || !regexp.MustCompile(c.why).MatchString(got.Why) {
				t.Errorf("Role() = %v (%q), want %v matching %q", got.Role, got.Why, c.want, c.why)
			}
		})
	}
}

func TestRoleOfTargetOption(t *testing.T) {
	// A stage chosen with --target is what the user builds: its name does
	// not make it a development image.
	src := "FROM node:22 AS dev\nEXPOSE 3000\nCMD [\"npm\", \"start\"]\nFROM node:22-slim AS prod\nCMD [\"node\", \"app.js\"]"
	f, err := Parse("Dockerfile", []byte(src), Options{Target: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Target.Role(); got.Role != RoleService {
		t.Errorf("Role() = %v (%q), want service", got.Role, got.Why)
	}
}

func TestDevContainer(t *testing.T) {
	for path, want := range map[string]bool{
		"repo/.devcontainer/Dockerfile":         true,
		".devcontainer/base.Dockerfile":         true,
		"repo/Dockerfile":                       false,
		"repo/devcontainer-tools/Dockerfile":    false,
		"repo/.devcontainer-old/x/a.dockerfile": false,
		".devcontainer":                         false,
	} {
		f, err := Parse(path, []byte("FROM debian:12\n"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := DevContainer(f); got != want {
			t.Errorf("DevContainer(%q) = %v", path, got)
		}
	}
}

func TestToolchainPurpose(t *testing.T) {
	cases := []struct{ path, src, why string }{
		{"tomcat/10.1/jdk21/temurin-noble/Dockerfile", "FROM eclipse-temurin:21-jdk-noble\nEXPOSE 8080\nCMD [\"catalina.sh\", \"run\"]", `JDK images \(folder jdk21\)`},
		{"php/8.3/bookworm/fpm/Dockerfile", "FROM debian:bookworm-slim\nENV PHP_VERSION=8.3.1\nEXPOSE 9000\nCMD [\"php-fpm\"]", `ENV PHP_VERSION`},
		{"images/r-notebook/Dockerfile", "ARG BASE_IMAGE=quay.io/jupyter/minimal-notebook\nFROM $BASE_IMAGE\nRUN true", `Jupyter`},
		{"Dockerfile", "FROM golang:1.23\nRUN go install example.com/x@v1", `toolchain image golang`},
		{"Dockerfile", "FROM golang:1.23\nRUN go build -o /app .\nEXPOSE 80\nCMD [\"/app\"]", ``},
		{"tomcat/10.1/jre21/temurin-noble/Dockerfile", "FROM eclipse-temurin:21-jre-noble\nEXPOSE 8080\nCMD [\"catalina.sh\", \"run\"]", ``},
	}
	for _, c := range cases {
		f, err := Parse(c.path, []byte(c.src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := f.Target.ToolchainPurpose()
		if (c.why == "") != (got == "") || !regexp.MustCompile(c.why).MatchString(got) {
			t.Errorf("%s: ToolchainPurpose() = %q, want %q", c.path, got, c.why)
		}
	}
}

package dockerfile

import (
	"strings"
	"testing"
)

// TestRemediesNameTheCase checks that a finding's fix is written for the
// case at hand: the image's own system, tag, directory or tool, and not
// another's.
func TestRemediesNameTheCase(t *testing.T) {
	cases := []struct {
		name, id, src string
		has, hasNot   string
	}{
		{"alpine account", "DF1100", "FROM alpine:3.20\nEXPOSE 80\nCMD [\"/app\"]", "adduser -S", "useradd"},
		{"debian account", "DF1100", "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nEXPOSE 80\nCMD [\"/app\"]", "useradd", "adduser -S"},
		{"distroless account", "DF1100", "FROM gcr.io/distroless/static-debian12\nEXPOSE 80\nCMD [\"/app\"]", "USER 65532:65532", "RUN useradd"},
		{"base image account", "DF1100", "FROM debian:12\nRUN true", "derived images", ""},
		{"eol alpine stays alpine", "DF1204", "FROM alpine:3.16\nCMD [\"sh\"]", "tag of alpine on a supported Alpine release", "bookworm"},
		{"eol node keeps its variant", "DF1204", "FROM node:16-alpine3.18\nCMD [\"node\"]", "keeping its alpine variant", "bookworm-slim"},
		{"digest of this image", "DF1201", "FROM python:3.12-slim\nCMD [\"python3\"]", "FROM python:3.12-slim@sha256:<digest>", "node"},
		{"version of this image", "DF1200", "FROM redis\nCMD [\"redis-server\"]", "FROM redis:<version>", "node"},
		{"pipefail on alpine", "DF1806", "FROM alpine:3.20\nRUN wget -qO- https://example.com/x | tar -x", "BusyBox ash", "/bin/bash"},
		{"pipefail on debian", "DF1806", "FROM debian:12\nRUN curl -fsSL https://example.com/x | tar -x", "/bin/bash", "Alpine"},
		{"workdir named", "DF1801", "FROM alpine\nRUN cd /opt/app && make", "WORKDIR /opt/app", ""},
		{"health probe on alpine", "DF1901", "FROM alpine:3.20\nEXPOSE 8080\nCMD [\"/app\"]", "wget -q --spider http://localhost:8080/", "curl"},
		{"health probe on debian", "DF1901", "FROM debian:12-slim\nEXPOSE 8080\nCMD [\"/app\"]", "curl -fsS http://localhost:8080/", "wget"},
		{"health without a shell", "DF1901", "FROM gcr.io/distroless/static-debian12\nEXPOSE 8080\nCMD [\"/app\"]", "no shell", "curl -fsS"},
		{"sudo as root", "DF1103", "FROM debian:12\nRUN sudo apt-get update", "Drop `sudo`", "USER root` before this RUN and"},
		{"zypper flag", "DF1809", "FROM opensuse/leap:15.6\nRUN zypper install curl", "zypper -n", "-y` to"},
		{"npm production install", "DF1301", "FROM node:22-slim\nCOPY . .\nRUN npm install\nCMD [\"node\", \"server.js\"]", "npm ci --omit=dev", "composer"},
		{"dist-upgrade names the plain upgrade", "DF1607", "FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade", "apt-get upgrade", ""},
		{"jdk to jre", "DF1203", "FROM eclipse-temurin:21-jdk\nCOPY app.jar /app.jar\nCMD [\"java\", \"-jar\", \"/app.jar\"]", "eclipse-temurin:21-jre", "debian"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := findingOf(t, lintSource(t, "Dockerfile", c.src), c.id)
			if !strings.Contains(f.Remedy, c.has) || (c.hasNot != "" && strings.Contains(f.Remedy, c.hasNot)) {
				t.Errorf("%s remedy %q: want %q in it and not %q", c.id, f.Remedy, c.has, c.hasNot)
			}
		})
	}
}

func TestExecFormRemedy(t *testing.T) {
	for text, want := range map[string]string{
		"node server.js --port 80": "Write `CMD [\"node\", \"server.js\", \"--port\", \"80\"]`.",
		"node server.js > /log":    "`CMD exec node server.js > /log`",
		"npm start && tail -f x":   "entrypoint script",
	} {
		if got := execFormRemedy("CMD", text); !strings.Contains(got, want) {
			t.Errorf("execFormRemedy(%q) = %q, want %q in it", text, got, want)
		}
	}
}

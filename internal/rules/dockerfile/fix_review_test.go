package dockerfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
)

// reviewCase is one review-level fix case: a Dockerfile, the rule whose
// fix is applied, and the exact text after `fix --level review --rule ID`
// (the input itself when the fix must not apply). Quiet says the rule
// itself must not fire; otherwise a case where the fix does not apply
// still has the rule's finding, so that the refusal is the fix's.
type reviewCase struct {
	name, rule, src, want string
	quiet                 bool
}

// runReviewFix applies the review fixes of one rule to src, written as a
// Dockerfile in a temporary directory, through the engine's fix run (the
// one `shipshape fix` makes), and returns the fixed text and the titles
// of the fixes applied. It checks that a second run changes nothing.
func runReviewFix(t *testing.T, id, src string) (string, []string, int) {
	t.Helper()
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	fix := func(data string) *engine.FixResult {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := engine.Fix(context.Background(), engine.FixOptions{
			Lint:  engine.LintOptions{Paths: []string{path}, Rules: reg, Configs: config.NewFinder(reg), Now: fixtureNow},
			Level: "review", Only: map[string]bool{id: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := fix(src)
	found := 0
	for _, f := range res.Lint.Findings {
		if f.RuleID == id {
			found++
		}
	}
	out, titles := src, []string(nil)
	for _, ff := range res.Files {
		if ff.Path != path {
			t.Fatalf("a fix of %s edits %s", id, ff.Path)
		}
		out = string(ff.After)
		for _, n := range ff.Applied {
			titles = append(titles, n.Title)
		}
		for _, n := range ff.Skipped {
			t.Logf("skipped: %s %s", n.RuleID, n.Reason)
		}
	}
	if out != src {
		for _, ff := range fix(out).Files {
			if ff.Changed() {
				t.Errorf("a second run changes the fixed file again:\n%s", ff.After)
			}
		}
	}
	return out, titles, found
}

func runReviewCases(t *testing.T, cases []reviewCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, titles, found := runReviewFix(t, c.rule, c.src)
			if (found == 0) != c.quiet {
				t.Fatalf("%s reported %d finding(s); quiet: %v", c.rule, found, c.quiet)
			}
			if got != c.want {
				t.Fatalf("fixed:\n%s\nwant:\n%s", got, c.want)
			}
			if got != c.src && len(titles) == 0 {
				t.Errorf("changed without an applied fix")
			}
			for _, ti := range titles {
				if !strings.Contains(ti, ":") {
					t.Errorf("fix title %q does not say how behaviour may change", ti)
				}
			}
		})
	}
}

func TestReviewFixAptRecommends(t *testing.T) {
	runReviewCases(t, []reviewCase{
		{name: "single install", rule: "DF1602",
			src:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
			want: "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n"},
		{name: "every install of the RUN, continuation lines kept", rule: "DF1602",
			src:  "FROM debian:12\nRUN apt-get update \\\n && apt-get -y install ca-certificates \\\n && sudo apt-get install -y git\n",
			want: "FROM debian:12\nRUN apt-get update \\\n && apt-get -y install --no-install-recommends ca-certificates \\\n && sudo apt-get install --no-install-recommends -y git\n"},
		{name: "flag already there", rule: "DF1602",
			src:  "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n",
			want: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n", quiet: true},
		{name: "apt.conf turns recommends off", rule: "DF1602",
			src:  "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/no-rec\nRUN apt-get install -y curl\n",
			want: "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/no-rec\nRUN apt-get install -y curl\n", quiet: true},
		{name: "inside sh -c, columns unknown: no fix", rule: "DF1602",
			src:  "FROM debian:12\nRUN sh -c 'apt-get install -y curl'\n",
			want: "FROM debian:12\nRUN sh -c 'apt-get install -y curl'\n"},
		{name: "exec form: no fix", rule: "DF1602",
			src:  "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n",
			want: "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"},
	})
}

func TestReviewFixNonRootUser(t *testing.T) {
	debAccount := "RUN groupadd --system --gid 10001 app \\\n && useradd --system --uid 10001 --gid app --no-log-init --no-create-home --shell /usr/sbin/nologin app\nUSER app"
	alpAccount := "RUN addgroup -S -g 10001 app \\\n && adduser -S -D -H -u 10001 -G app -s /sbin/nologin app\nUSER app"
	runReviewCases(t, []reviewCase{
		{name: "debian service: account after the last RUN", rule: "DF1100",
			src:  "FROM debian:12-slim\nRUN apt-get update\nCOPY app /app\nRUN chmod +x /app\nEXPOSE 8080\nCMD [\"/app\"]\n",
			want: "FROM debian:12-slim\nRUN apt-get update\nCOPY app /app\nRUN chmod +x /app\n" + debAccount + "\nEXPOSE 8080\nCMD [\"/app\"]\n"},
		{name: "alpine app: busybox addgroup/adduser", rule: "DF1100",
			src:  "FROM alpine:3.20\nRUN apk add --no-cache curl\nCMD [\"curl\", \"--version\"]",
			want: "FROM alpine:3.20\nRUN apk add --no-cache curl\n" + alpAccount + "\nCMD [\"curl\", \"--version\"]"},
		{name: "no RUN in the final stage: before CMD", rule: "DF1100",
			src:  "FROM ubuntu:24.04 AS base\nRUN apt-get update\nFROM base\nCOPY srv /srv\nEXPOSE 80\nENTRYPOINT [\"/srv\"]\n",
			want: "FROM ubuntu:24.04 AS base\nRUN apt-get update\nFROM base\nCOPY srv /srv\nEXPOSE 80\n" + debAccount + "\nENTRYPOINT [\"/srv\"]\n"},
		{name: "scratch: numeric USER without an account", rule: "DF1100",
			src:  "FROM golang:1.23 AS build\nRUN go build -o /out/srv .\nFROM scratch\nCOPY --from=build /out/srv /srv\nEXPOSE 8080\nENTRYPOINT [\"/srv\"]\n",
			want: "FROM golang:1.23 AS build\nRUN go build -o /out/srv .\nFROM scratch\nCOPY --from=build /out/srv /srv\nEXPOSE 8080\nUSER 10001:10001\nENTRYPOINT [\"/srv\"]\n"},
		{name: "distroless: numeric USER", rule: "DF1100",
			src:  "FROM gcr.io/distroless/static-debian12\nCOPY srv /srv\nEXPOSE 8080\nCMD [\"/srv\"]\n",
			want: "FROM gcr.io/distroless/static-debian12\nCOPY srv /srv\nEXPOSE 8080\nUSER 10001:10001\nCMD [\"/srv\"]\n"},
		{name: "account the Dockerfile already creates", rule: "DF1100",
			src:  "FROM debian:12\nRUN useradd --no-log-init -u 2000 -m worker\nCOPY job /job\nCMD [\"/job\"]\n",
			want: "FROM debian:12\nRUN useradd --no-log-init -u 2000 -m worker\nUSER worker\nCOPY job /job\nCMD [\"/job\"]\n"},
		{name: "unknown family: refused", rule: "DF1100",
			src:  "FROM registry.example.com/team/runtime:5\nCOPY app /app\nEXPOSE 8080\nCMD [\"/app\"]\n",
			want: "FROM registry.example.com/team/runtime:5\nCOPY app /app\nEXPOSE 8080\nCMD [\"/app\"]\n"},
		{name: "entrypoint drops privileges with gosu: refused", rule: "DF1100",
			src:  "FROM debian:12\nRUN apt-get install -y gosu\nCOPY entry.sh /entry.sh\nEXPOSE 8080\nENTRYPOINT [\"/entry.sh\"]\n",
			want: "FROM debian:12\nRUN apt-get install -y gosu\nCOPY entry.sh /entry.sh\nEXPOSE 8080\nENTRYPOINT [\"/entry.sh\"]\n"},
		{name: "base image (no command of its own): refused", rule: "DF1100",
			src:  "FROM debian:12\nRUN apt-get install -y ca-certificates\n",
			want: "FROM debian:12\nRUN apt-get install -y ca-certificates\n"},
		{name: "USER root after the last RUN: new USER after it", rule: "DF1101",
			src:  "FROM debian:12-slim\nRUN apt-get update\nUSER root\nEXPOSE 8080\nCMD [\"/srv\"]\n",
			want: "FROM debian:12-slim\nRUN apt-get update\nUSER root\n" + debAccount + "\nEXPOSE 8080\nCMD [\"/srv\"]\n"},
		{name: "root to install, account exists", rule: "DF1101",
			src:  "FROM alpine:3.20\nRUN adduser -S -D svc\nUSER svc\nRUN echo hi\nUSER 0\nRUN apk add --no-cache curl\nCMD [\"curl\", \"-V\"]\n",
			want: "FROM alpine:3.20\nRUN adduser -S -D svc\nUSER svc\nRUN echo hi\nUSER 0\nRUN apk add --no-cache curl\nUSER svc\nCMD [\"curl\", \"-V\"]\n"},
		{name: "after a heredoc RUN, not inside it", rule: "DF1100",
			src:  "FROM debian:12\nRUN <<EOF\nset -e\necho hi > /greeting\nEOF\nEXPOSE 80\nCMD [\"/srv\"]\n",
			want: "FROM debian:12\nRUN <<EOF\nset -e\necho hi > /greeting\nEOF\n" + debAccount + "\nEXPOSE 80\nCMD [\"/srv\"]\n"},
		{name: "CRLF file: inserted lines follow it", rule: "DF1100",
			src:  "FROM debian:12\r\nRUN true\r\nCMD [\"/srv\"]\r\n",
			want: "FROM debian:12\r\nRUN true\r\n" + strings.ReplaceAll(debAccount, "\n", "\r\n") + "\r\nCMD [\"/srv\"]\r\n"},
	})
}

func TestReviewFixEOLBase(t *testing.T) {
	same := func(name, src string) reviewCase { return reviewCase{name: name, rule: "DF1204", src: src, want: src} }
	cases := []reviewCase{
		{name: "node major to the longest-supported LTS, variant kept", rule: "DF1204",
			src:  "FROM node:18-bullseye AS a\nRUN npm ci\n",
			want: "FROM node:24-bullseye AS a\nRUN npm ci\n"},
		{name: "patch version and variant words", rule: "DF1204",
			src:  "FROM node:20.11.1-bookworm-slim\n",
			want: "FROM node:24-bookworm-slim\n"},
		{name: "runtime and its pinned alpine both move", rule: "DF1204",
			src:  "FROM golang:1.21-alpine3.18 AS build\n",
			want: "FROM golang:1.26-alpine3.23 AS build\n"},
		{name: "debian codename stays a codename", rule: "DF1204",
			src:  "FROM debian:buster-slim\n",
			want: "FROM debian:trixie-slim\n"},
		{name: "debian number stays a number, registry prefix kept", rule: "DF1204",
			src:  "FROM --platform=linux/amd64 docker.io/library/debian:9 AS b\n",
			want: "FROM --platform=linux/amd64 docker.io/library/debian:13 AS b\n"},
		{name: "ubuntu to the LTS", rule: "DF1204",
			src:  "FROM ubuntu:18.04\n",
			want: "FROM ubuntu:24.04\n"},
		{name: "distro codename in another image's tag", rule: "DF1204",
			src:  "FROM eclipse-temurin:17-jre-focal\n",
			want: "FROM eclipse-temurin:17-jre-noble\n"},
		{name: "alpine point release", rule: "DF1204",
			src:  "FROM alpine:3.14.2\n",
			want: "FROM alpine:3.23\n"},
		{name: "python minor within major 3", rule: "DF1204",
			src:  "FROM python:3.7-slim\n",
			want: "FROM python:3.14-slim\n"},
		same("python 2 to 3 is another language: refused", "FROM python:2-alpine\n"),
		same("database major: refused", "FROM postgres:9.6-alpine\n"),
		same("discontinued image: refused", "FROM openjdk:8-jdk-alpine\n"),
		same("no supported centos: refused", "FROM centos:centos7\n"),
		same("pinned by digest: refused", "FROM node:16@sha256:"+strings.Repeat("a", 64)+"\n"),
		same("dated tag: refused", "FROM ubuntu:focal-20240530\n"),
		same("built from an ARG: refused", "ARG V=16\nFROM node:${V}-alpine\n"),
		{name: "supported base: nothing to fix", rule: "DF1204", src: "FROM node:22-alpine\n", want: "FROM node:22-alpine\n", quiet: true},
	}
	runReviewCases(t, cases)
}

func TestReviewFixSecretMount(t *testing.T) {
	same := func(name, id, src string) reviewCase { return reviewCase{name: name, rule: id, src: src, want: src} }
	cases := []reviewCase{
		{name: "ARG read by one RUN", rule: "DF1400",
			src: "FROM node:22-slim\nARG NPM_TOKEN\nCOPY package.json .\n" +
				"RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\nCMD [\"node\", \"app.js\"]\n",
			want: "# syntax=docker/dockerfile:1\nFROM node:22-slim\nCOPY package.json .\n" +
				"RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\nCMD [\"node\", \"app.js\"]\n"},
		{name: "ENV literal secret read by two RUNs, syntax present", rule: "DF1401",
			src: "# syntax=docker/dockerfile:1.12\nFROM alpine:3.20\nENV GITHUB_TOKEN=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\n" +
				"RUN git clone https://x:$GITHUB_TOKEN@github.com/o/a.git\nRUN echo done\nRUN \\\n  curl -H \"Authorization: token ${GITHUB_TOKEN}\" https://api.github.com/user\n",
			want: "# syntax=docker/dockerfile:1.12\nFROM alpine:3.20\n" +
				"RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN git clone https://x:$GITHUB_TOKEN@github.com/o/a.git\nRUN echo done\nRUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \\\n  curl -H \"Authorization: token ${GITHUB_TOKEN}\" https://api.github.com/user\n"},
		{name: "unused ARG at the end of the file is removed", rule: "DF1400",
			src:  "FROM alpine:3.20\nCOPY a /a\nARG DB_PASSWORD",
			want: "FROM alpine:3.20\nCOPY a /a\n"},
		same("ENV used at run time by CMD: refused", "DF1400",
			"FROM alpine:3.20\nENV API_TOKEN=\"\"\nRUN fetch --token \"$API_TOKEN\"\nCMD [\"sh\", \"-c\", \"serve --token $API_TOKEN\"]\n"),
		same("ENV read by no RUN is for the running container: refused", "DF1400",
			"FROM alpine:3.20\nENV DB_PASSWORD=\"\"\nCMD [\"/srv\"]\n"),
		same("ARG read by COPY: refused", "DF1400",
			"FROM alpine:3.20\nARG SSH_KEY\nCOPY ${SSH_KEY} /root/.ssh/id\nRUN cat $SSH_KEY\n"),
		same("RUNs follow, none names it (the environment may be read): refused", "DF1400",
			"FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n"),
		same("ENV read by a later stage: refused", "DF1400",
			"FROM alpine:3.20 AS base\nENV API_TOKEN=\"\"\nRUN fetch $API_TOKEN\nFROM base\nRUN push $API_TOKEN\n"),
		same("several variables in one ENV: refused", "DF1400",
			"FROM alpine:3.20\nENV API_TOKEN=\"\" MODE=prod\nRUN fetch $API_TOKEN\n"),
		same("old frontend without env= on secret mounts: refused", "DF1400",
			"# syntax=docker/dockerfile:1.4\nFROM alpine:3.20\nARG API_TOKEN\nRUN fetch $API_TOKEN\n"),
	}
	runReviewCases(t, cases)
}

func TestSecretSyntaxOK(t *testing.T) {
	for s, want := range map[string]bool{"": true, "docker/dockerfile:1": true, "docker.io/docker/dockerfile:1.10": true,
		"docker/dockerfile:1.7-labs": false, "docker/dockerfile:1.12-labs": true, "docker/dockerfile:1.4": false, "example.com/frontend:1": false} {
		if got := secretSyntaxOK(s); got != want {
			t.Errorf("secretSyntaxOK(%q) = %v, want %v", s, got, want)
		}
	}
}

package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

// recommendDoc is the part of recommend's JSON document the tests read.
type recommendDoc struct {
	SchemaVersion string `json:"schemaVersion"`
	Online        bool   `json:"online"`
	Complete      bool   `json:"complete"`
	Gate          string `json:"gate"`
	Failing       int    `json:"failing"`
	Targets       []struct {
		Ref     string `json:"ref"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Stage   string `json:"stage"`
		Family  string `json:"family"`
		Note    string `json:"note"`
		Current *struct {
			Digest          string          `json:"digest"`
			Packages        int             `json:"packages"`
			Size            int64           `json:"size"`
			Vulnerabilities *map[string]int `json:"vulnerabilities"`
		} `json:"current"`
		Candidates []struct {
			Ref         string   `json:"ref"`
			Kind        string   `json:"kind"`
			Severity    string   `json:"severity"`
			Reasons     []string `json:"reasons"`
			Found       *bool    `json:"found"`
			Recommended bool     `json:"recommended"`
			Best        bool     `json:"best"`
			Fixes       *int     `json:"fixes"`
			Adds        *int     `json:"adds"`
			Problem     string   `json:"problem"`
			Facts       *struct {
				Packages        int             `json:"packages"`
				Size            int64           `json:"size"`
				Vulnerabilities *map[string]int `json:"vulnerabilities"`
			} `json:"facts"`
		} `json:"candidates"`
	} `json:"targets"`
}

func decodeRecommend(t *testing.T, r result) recommendDoc {
	t.Helper()
	var d recommendDoc
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, r)
	}
	return d
}

// TestRecommendOffline: candidates for known families by image and by
// Dockerfile, the gate, and silence for scratch, distroless and unknown
// images.
func TestRecommendOffline(t *testing.T) {
	r := run(t, "", "recommend", "--format", "json", "debian:bookworm")
	wantCode(t, r, 0) // the slim variant of an OS image is low, under the default gate
	d := decodeRecommend(t, r)
	if d.SchemaVersion != "1.0.0" || d.Online || !d.Complete || d.Gate != "high" || len(d.Targets) != 1 {
		t.Fatalf("document: %+v", d)
	}
	c := d.Targets[0].Candidates
	if d.Targets[0].Family != "debian" || len(c) == 0 || c[0].Ref != "debian:bookworm-slim" || c[0].Severity != "low" || !c[0].Recommended || len(c[0].Reasons) == 0 || c[0].Found != nil {
		t.Fatalf("debian:bookworm: %+v", d.Targets[0])
	}
	wantCode(t, run(t, "", "recommend", "--fail-on", "low", "debian:bookworm"), 1)

	dir := t.TempDir()
	df := filepath.Join(dir, "Dockerfile")
	os.WriteFile(df, []byte("FROM python:3.12 AS build\nRUN pip wheel -w /w .\n\nFROM python:3.12 AS run\nCOPY --from=build /w /w\n"), 0o600)
	r = run(t, "", "recommend", "--format", "json", "--fail-on", "medium", dir)
	wantCode(t, r, 1)
	d = decodeRecommend(t, r)
	tg := d.Targets[0]
	if tg.File != df || tg.Line != 4 || tg.Stage != "run" || tg.Ref != "python:3.12" || len(tg.Candidates) == 0 || tg.Candidates[0].Ref != "python:3.12-slim" || d.Failing == 0 {
		t.Fatalf("Dockerfile: %+v", d)
	}
	r = run(t, "", "recommend", df)
	if !strings.Contains(r.stdout, "python:3.12 ("+df+":4, final stage run)") || !strings.Contains(r.stdout, "python:3.12-slim") {
		t.Errorf("text:\n%s", r)
	}

	scratch := filepath.Join(dir, "Dockerfile.scratch")
	os.WriteFile(scratch, []byte("FROM golang:1.26 AS build\nFROM scratch\nCOPY --from=build /app /app\n"), 0o600)
	r = run(t, "", "recommend", "--format", "json", "--fail-on", "info", scratch, "gcr.io/distroless/static-debian12", "ghcr.io/acme/app:1.4", "node:24-slim")
	wantCode(t, r, 0)
	for _, tg := range decodeRecommend(t, r).Targets {
		if len(tg.Candidates) != 0 || tg.Note == "" {
			t.Errorf("%s: %+v, want nothing and a note", tg.Ref, tg)
		}
	}
	wantCode(t, run(t, "", "recommend", filepath.Join(dir, "Dockerfile.missing")), 2)
	wantCode(t, run(t, "", "recommend", "--format", "yaml", "node:22"), 2)
	wantCode(t, run(t, "", "recommend", "--mirror", "docker.io", "node:22"), 2)
}

// TestRecommendOnline: debian:bookworm and debian:bookworm-slim made of
// real dpkg status files (a debootstrap bookworm with extra packages, and
// the plain one) in a loopback registry that mirrors docker.io and gcr.io,
// compared with a database imported by `db import`; an unreachable
// registry and a missing database are exit 2.
func TestRecommendOnline(t *testing.T) {
	data := filepath.Join(corpus.Shared(t), "data", "debian")
	fx := filepath.Join(data, "rootfs-fixtures")
	image := func(dir string) (imagetest.Image, int) {
		status, err := os.ReadFile(filepath.Join(fx, dir, "var", "lib", "dpkg", "status"))
		if err != nil {
			t.Fatal(err)
		}
		osr, err := os.ReadFile(filepath.Join(fx, dir, "etc", "os-release"))
		if err != nil {
			t.Fatal(err)
		}
		return imagetest.Image{Layers: []imagetest.Layer{{CreatedBy: "ADD rootfs /", Entries: []imagetest.Entry{
			imagetest.File("etc/os-release", string(osr)),
			imagetest.File("var/lib/dpkg/status", string(status)),
		}}}}, strings.Count(string(status), "Status: install ok installed")
	}
	full, fullPkgs := image("bookworm-plus")
	slim, slimPkgs := image("bookworm")
	host := trusttest.Registry(t)
	trusttest.Push(t, host+"/library/debian:bookworm", imagetest.Build(t, full))
	trusttest.Push(t, host+"/library/debian:bookworm-slim", imagetest.Build(t, slim))

	db := filepath.Join(t.TempDir(), "vuln.db")
	wantCode(t, run(t, "", "db", "import", "--db", db, filepath.Join(data, "oval-2023-07-14", "oval-definitions-bookworm.xml.bz2")), 0)
	online := []string{"recommend", "--online", "--no-cache", "--db", db, "--mirror", "docker.io=" + host, "--mirror", "gcr.io=" + host}

	r := run(t, "", append(online, "--format", "json", "debian:bookworm")...)
	wantCode(t, r, 1)
	d := decodeRecommend(t, r)
	tg := d.Targets[0]
	if !d.Online || !d.Complete || tg.Current == nil || tg.Current.Packages != fullPkgs || tg.Current.Vulnerabilities == nil {
		t.Fatalf("current: %s", r.stdout)
	}
	var found bool
	for _, c := range tg.Candidates {
		switch c.Ref {
		case "debian:bookworm-slim":
			found = true
			if c.Facts == nil || c.Facts.Packages != slimPkgs || !c.Recommended || !c.Best || c.Fixes == nil || *c.Fixes == 0 || *c.Adds != 0 || c.Severity != "high" {
				t.Errorf("bookworm-slim: %+v", c)
			}
			if (*c.Facts.Vulnerabilities)["total"] >= (*tg.Current.Vulnerabilities)["total"] {
				t.Errorf("bookworm-slim: %v vulnerabilities, current %v", *c.Facts.Vulnerabilities, *tg.Current.Vulnerabilities)
			}
		default:
			if c.Found == nil || *c.Found || c.Recommended {
				t.Errorf("%s: %+v, want not in the registry", c.Ref, c)
			}
		}
	}
	if !found {
		t.Fatalf("no bookworm-slim candidate: %s", r.stdout)
	}
	r = run(t, "", append(online, "debian:bookworm")...)
	rows := map[string]bool{}
	for _, line := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(line); len(f) >= 4 {
			rows[strings.Join(f[:4], " ")] = true
		}
	}
	for _, want := range []string{"SEVERITY IMAGE PACKAGES CRITICAL", fmt.Sprintf("current debian:bookworm %d 0", fullPkgs),
		fmt.Sprintf("* high debian:bookworm-slim %d", slimPkgs), "low debian:trixie not in"} {
		if !rows[want] {
			t.Errorf("text lacks a row %q:\n%s", want, r.stdout)
		}
	}

	// unknown-severity: low in the configuration: fixing unknown-severity
	// vulnerabilities no longer raises the slim variant above low.
	cfg := filepath.Join(t.TempDir(), ".shipshape.yaml")
	os.WriteFile(cfg, []byte("version: 1\nunknown-severity: low\n"), 0o600)
	r = run(t, "", append(online, "--config", cfg, "--format", "json", "debian:bookworm")...)
	wantCode(t, r, 0)
	for _, c := range decodeRecommend(t, r).Targets[0].Candidates {
		if c.Ref == "debian:bookworm-slim" && (c.Severity != "low" || !c.Best) {
			t.Errorf("unknown-severity low: %+v", c)
		}
	}

	// Without a database, --skip-vulns compares packages and size only.
	r = run(t, "", "recommend", "--online", "--no-cache", "--skip-vulns", "--mirror", "docker.io="+host, "--mirror", "gcr.io="+host, "--format", "json", "debian:bookworm")
	wantCode(t, r, 0)
	if tg := decodeRecommend(t, r).Targets[0]; tg.Current == nil || tg.Current.Vulnerabilities != nil || tg.Current.Packages != fullPkgs {
		t.Errorf("--skip-vulns: %s", r.stdout)
	}
	r = run(t, "", "recommend", "--online", "--db", filepath.Join(t.TempDir(), "none.db"), "debian:bookworm")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "no vulnerability database") {
		t.Errorf("missing database: %s", r)
	}
	r = run(t, "", "recommend", "--online", "--skip-vulns", "--mirror", "docker.io=127.0.0.1:1", "--format", "json", "debian:bookworm")
	wantCode(t, r, 2)
	if !strings.Contains(r.stderr, "--online") || !strings.Contains(r.stderr, "127.0.0.1:1") || !strings.Contains(r.stdout, `"complete": false`) {
		t.Errorf("unreachable registry: %s", r)
	}
}

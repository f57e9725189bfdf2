package eol

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func names(cs []Cycle) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Product+" "+c.Cycle)
	}
	return strings.Join(out, ", ")
}

func TestDefaultTable(t *testing.T) {
	tb := Default()
	if tb.AsOf.IsZero() {
		t.Fatal("embedded table has no asOf date")
	}
	for _, p := range []string{"alpine", "debian", "go", "nodejs", "python", "ubuntu"} {
		if len(tb.products[p]) == 0 {
			t.Errorf("embedded table lacks %s", p)
		}
	}
	// Every dated cycle must be well-formed; a typo would silently hide
	// a release.
	for p, cs := range tb.products {
		seen := map[string]bool{}
		for _, c := range cs {
			if seen[c.Cycle] {
				t.Errorf("%s %s listed twice", p, c.Cycle)
			}
			seen[c.Cycle] = true
		}
	}
}

// TestSources checks that every product of the embedded table names the
// source its dates were copied from.
func TestSources(t *testing.T) {
	var raw struct {
		Sources map[string]string `json:"sources"`
	}
	if err := json.Unmarshal(embedded, &raw); err != nil {
		t.Fatal(err)
	}
	for _, p := range Default().Products() {
		if !strings.HasPrefix(raw.Sources[p], "https://") {
			t.Errorf("product %s has no source URL in data.json (sources)", p)
		}
	}
	if _, ok := raw.Sources["sources"]; ok || slices.Contains(Default().Products(), "sources") {
		t.Error("the sources object was read as a product")
	}
}

func TestImage(t *testing.T) {
	tb := Default()
	cases := []struct{ repo, tag, want string }{
		{"debian", "10", "debian 10"},
		{"debian", "10.13-slim", "debian 10"},
		{"debian", "buster", "debian 10"},
		{"debian", "buster-slim", "debian 10"},
		{"debian", "bookworm-20240612", "debian 12"},
		{"debian", "stable-slim", ""},
		{"debian", "latest", ""},
		{"debian", "", ""},
		{"ubuntu", "20.04", "ubuntu 20.04"},
		{"ubuntu", "focal-20240530", "ubuntu 20.04"},
		{"ubuntu", "xenial", "ubuntu 16.04"},
		{"ubuntu", "rolling", ""},
		{"alpine", "3.14", "alpine 3.14"},
		{"alpine", "3.18.4", "alpine 3.18"},
		{"alpine", "3", ""},
		{"alpine", "edge", ""},
		{"node", "18", "nodejs 18"},
		{"node", "14-alpine", "nodejs 14"},
		{"node", "18.17.1-bullseye-slim", "nodejs 18, debian 11"},
		{"node", "hydrogen-alpine3.17", "nodejs 18, alpine 3.17"},
		{"node", "lts-buster", "debian 10"},
		{"node", "0.10.48", "nodejs 0.10"},
		{"python", "3.7-slim", "python 3.7"},
		{"python", "3.11-buster", "python 3.11, debian 10"},
		{"python", "3.13.0a1-slim-bookworm", "python 3.13, debian 12"},
		{"python", "3", ""},
		{"python", "3-alpine3.12", "alpine 3.12"},
		{"golang", "1.19", "go 1.19"},
		{"golang", "1.21-alpine3.18", "go 1.21, alpine 3.18"},
		{"golang", "1.22rc2-bookworm", "go 1.22, debian 12"},
		{"golang", "1", ""},
		{"eclipse-temurin", "17-jre-focal", "ubuntu 20.04"},
		{"ruby", "2.7-alpine3.15", "ruby 2.7, alpine 3.15"},
		{"ruby", "3.3", "ruby 3.3"},
		{"ruby", "2", "ruby 2.7"},
		{"ruby", "2.6.10-slim-bullseye", "ruby 2.6, debian 11"},
		{"php", "8.1-fpm-buster", "php 8.1, debian 10"},
		{"php", "7", "php 7.4"},
		{"php", "7.4.33-apache", "php 7.4"},
		{"python", "2", "python 2.7"},
		{"python", "2-slim", "python 2.7"},
		{"python", "2.7.18-alpine3.11", "python 2.7, alpine 3.11"},
		{"centos", "7", "centos 7"},
		{"centos", "centos7", "centos 7"},
		{"centos", "centos7.9.2009", "centos 7"},
		{"centos", "7.9.2009", "centos 7"},
		{"centos", "latest", ""},
		{"openjdk", "8", "openjdk 8"},
		{"openjdk", "8-jdk-alpine", "openjdk 8"},
		{"openjdk", "8u342-jre-slim-bullseye", "openjdk 8, debian 11"},
		{"openjdk", "11.0.16-jdk", "openjdk 11"},
		{"openjdk", "23-ea-slim", ""},
		{"postgres", "9.6", "postgresql 9.6"},
		{"postgres", "9.6.24-alpine", "postgresql 9.6"},
		{"postgres", "9", "postgresql 9.6"},
		{"postgres", "16-bookworm", "postgresql 16, debian 12"},
		{"postgres", "16.3", "postgresql 16"},
		{"mysql", "5.6", "mysql 5.6"},
		{"mysql", "5.7.44-oracle", "mysql 5.7"},
		{"mysql", "5", "mysql 5.7"},
		{"mysql", "8", ""},
		{"nginx", "1.25", ""},
	}
	for _, c := range cases {
		if got := names(tb.Image(c.repo, c.tag)); got != c.want {
			t.Errorf("Image(%q, %q) = %q, want %q", c.repo, c.tag, got, c.want)
		}
	}
}

func TestPastEOLBoundaries(t *testing.T) {
	tb := Default()
	cases := []struct {
		product, cycle, now string
		want                bool
	}{
		{"nodejs", "16", "2023-09-10", false},
		{"nodejs", "16", "2023-09-11", true},
		{"nodejs", "18", "2025-04-29", false},
		{"nodejs", "18", "2025-04-30", true},
		{"python", "3.8", "2024-10-06", false},
		{"python", "3.8", "2024-10-07", true},
		{"debian", "10", "2024-06-29", false},
		{"debian", "10", "2024-06-30", true},
		{"debian", "11", "2026-06-01", false},
		{"ubuntu", "20.04", "2025-05-30", false},
		{"ubuntu", "20.04", "2025-05-31", true},
		{"ubuntu", "22.04", "2026-06-01", false},
		{"alpine", "3.20", "2026-06-01", true},
		{"alpine", "3.21", "2026-06-01", false},
		{"go", "1.24", "2026-06-01", true},
		{"go", "1.25", "2030-01-01", false},
		{"centos", "7", "2024-06-29", false},
		{"centos", "7", "2024-06-30", true},
		{"openjdk", "8", "2022-08-01", true},
		{"openjdk", "7", "2000-01-01", true},
		{"ruby", "2.7", "2023-03-31", true},
		{"php", "7.4", "2022-11-27", false},
		{"php", "7.4", "2022-11-28", true},
		{"postgresql", "9.6", "2021-11-11", true},
		{"mysql", "5.6", "2021-02-28", true},
		{"mysql", "8.4", "2026-06-01", false},
	}
	for _, c := range cases {
		cy, ok := tb.Lookup(c.product, c.cycle)
		if !ok {
			t.Errorf("%s %s not in table", c.product, c.cycle)
			continue
		}
		if got := cy.PastEOL(date(c.now)); got != c.want {
			t.Errorf("%s %s at %s: PastEOL = %v, want %v", c.product, c.cycle, c.now, got, c.want)
		}
	}
}

func TestVersionCycle(t *testing.T) {
	cases := []struct{ product, v, want string }{
		{"python", "3.11.4", "3.11"},
		{"python", "3", ""},
		{"python", "3.x", ""},
		{"go", "1.21rc2", "1.21"},
		{"go", "1rc.2", ""},
		{"nodejs", "20.11.0", "20"},
		{"nodejs", "0.12", "0.12"},
		{"debian", "12.5", "12"},
		{"alpine", "3.19.1", "3.19"},
		{"alpine", "", ""},
		{"debian", "slim", ""},
		{"postgresql", "9.6.24", "9.6"},
		{"postgresql", "16.3", "16"},
		{"postgresql", "9", ""},
		{"openjdk", "8u342", "8"},
	}
	for _, c := range cases {
		if got := versionCycle(c.product, c.v); got != c.want {
			t.Errorf("versionCycle(%q, %q) = %q, want %q", c.product, c.v, got, c.want)
		}
	}
}

func TestParseAndMerge(t *testing.T) {
	// The object form with endoflife.date's value types: numeric cycles,
	// boolean eol, and ubuntu's two-word codenames.
	over, err := Parse([]byte(`{
		"ubuntu": [{"cycle": "26.04", "codename": "Resolute Raccoon", "eol": "2031-05-31"}],
		"debian": [{"cycle": 11, "eol": "2024-08-14"}],
		"nodejs": [{"cycle": "26", "eol": false}, {"cycle": "25", "eol": true}],
		"note": "not a product"
	}`), "")
	if err != nil {
		t.Fatal(err)
	}
	m := Default().Merge(over)
	if c, ok := m.Lookup("ubuntu", "resolute"); !ok || c.Cycle != "26.04" || c.EOL != date("2031-05-31") {
		t.Errorf("new ubuntu cycle: %+v %v", c, ok)
	}
	if c, _ := m.Lookup("debian", "bullseye"); c.EOL != date("2024-08-14") || c.Codename != "bullseye" {
		t.Errorf("debian 11 override lost its codename or date: %+v", c)
	}
	if c, _ := m.Lookup("node", "25"); !c.PastEOL(date("2000-01-01")) {
		t.Errorf("eol: true must mean ended: %+v", c)
	}
	if c, _ := m.Lookup("nodejs", "26"); c.PastEOL(date("2100-01-01")) {
		t.Errorf("eol: false must never end: %+v", c)
	}
	// The embedded table is left alone.
	if c, _ := Default().Lookup("debian", "11"); c.EOL != date("2026-08-31") {
		t.Errorf("Merge changed the default table: %+v", c)
	}

	// The bare-array form of https://endoflife.date/api/<product>.json takes
	// its product from the file name.
	dir := t.TempDir()
	path := filepath.Join(dir, "golang.json")
	if err := os.WriteFile(path, []byte(`[{"cycle": "1.25", "eol": "2026-08-11", "latest": "1.25.3"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	arr, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := arr.Lookup("go", "1.25"); !ok || c.EOL != date("2026-08-11") {
		t.Errorf("array form: %+v %v", c, ok)
	}

	for _, bad := range []string{`{"debian": [{"cycle": "9", "eol": "June 2022"}]}`, `[1]`, `{"debian": [{"eol": "2020-01-01"}]}`, `nope`} {
		if _, err := Parse([]byte(bad), ""); err == nil {
			t.Errorf("Parse(%s) accepted bad data", bad)
		}
	}
}

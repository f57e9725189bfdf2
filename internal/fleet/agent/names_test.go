package agent

import (
	"testing"
	"time"
)

func TestRepoOf(t *testing.T) {
	for in, want := range map[string]string{
		"nginx":                                  "nginx",
		"nginx:1.25":                             "nginx",
		"registry.example:5000/shop/api:1.4":     "registry.example:5000/shop/api",
		"registry.example:5000/shop/api":         "registry.example:5000/shop/api",
		"docker.io/library/nginx@sha256:abcd":    "docker.io/library/nginx",
		"localhost/x:test@sha256:0123":           "localhost/x",
		"registry.example:5000/shop/api@sha256:": "registry.example:5000/shop/api",
	} {
		if got := repoOf(in); got != want {
			t.Errorf("repoOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefAndIDAndTime(t *testing.T) {
	hex := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	if imageID(hex) != "sha256:"+hex || imageID("sha256:"+hex) != "sha256:"+hex || imageID("abc") != "abc" {
		t.Error("imageID")
	}
	if refOf(hex) != "" || refOf("sha256:"+hex) != "" || refOf("shop/api:1") != "shop/api:1" {
		t.Error("refOf")
	}
	if !parseTime("0001-01-01T00:00:00Z").IsZero() || !parseTime("").IsZero() || !parseTime("yesterday").IsZero() {
		t.Error("parseTime: zero and unreadable times must be zero")
	}
	if got := parseTime("2026-12-06T09:00:00.123456789+01:00"); !got.Equal(time.Date(2026, 12, 6, 8, 0, 0, 123456789, time.UTC)) {
		t.Errorf("parseTime: %v", got)
	}
	if stopTime(100, time.Unix(50, 0)) != 100 || stopTime(100, time.Unix(150, 0)) != 150 || stopTime(0, time.Time{}) < time.Now().Unix()-5 {
		t.Error("stopTime: a stop is never before the start, and a missing time is now")
	}
}

package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-sec/shipshape/internal/imagetest"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

func TestIgnoreFile(t *testing.T) {
	dir := t.TempDir()
	imagetest.FileAt(t, filepath.Join(dir, ".git", "HEAD"), "ref: main\n")
	imagetest.FileAt(t, filepath.Join(dir, IgnoreFileName), `
- id: DF1101
  path: legacy/**
  reason: the legacy agent needs root until it is retired
- id: CVE-2020-1967
  package: openssl
  reason: not reachable, TLS terminated upstream
- id: IM1100
  path: usr/share/doc/**
  reason: documentation examples, not real keys
- id: DF1201
  reason: pinned by the release pipeline
  expires: 2026-01-31
`)
	f := NewFinder(nil)
	cfg, err := f.For(filepath.Join(dir, "legacy", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Ignores) != 4 {
		t.Fatalf("ignores = %d, want 4", len(cfg.Ignores))
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	fs := []rule.Finding{
		{RuleID: "DF1101", Location: rule.Location{File: filepath.Join(dir, "legacy", "Dockerfile"), Range: loc.Line(3)}},
		{RuleID: "DF1101", Location: rule.Location{File: filepath.Join(dir, "app", "Dockerfile"), Range: loc.Line(3)}},
		{RuleID: "GHSA-xxxx", Vuln: &rule.Vulnerability{Aliases: []string{"CVE-2020-1967"}, Package: "openssl"}},
		{RuleID: "CVE-2020-1967", Vuln: &rule.Vulnerability{Package: "libssl1.1"}},
		{RuleID: "IM1100", Location: rule.Location{Image: &rule.ImageLocation{Path: "/usr/share/doc/x/README"}}},
		{RuleID: "IM1100", Location: rule.Location{Image: &rule.ImageLocation{Path: "/root/.ssh/id_rsa"}}},
		{RuleID: "DF1201", Location: rule.Location{File: filepath.Join(dir, "Dockerfile")}},
		// package: names the source package of a binary package too.
		{RuleID: "CVE-2020-1967", Vuln: &rule.Vulnerability{Package: "libssl3", SourcePackage: "openssl"}},
		{RuleID: "CVE-2020-1967", Vuln: &rule.Vulnerability{Package: "libssl3", SourcePackage: "openssl3"}},
	}
	cfg.ApplyIgnores(fs, nil, now)
	want := []bool{true, false, true, false, true, false, false, true, false}
	for i, w := range want {
		if got := fs[i].Suppression != nil; got != w {
			t.Errorf("finding %d (%s): suppressed=%v, want %v", i, fs[i].RuleID, got, w)
		}
	}
	if fs[0].Suppression.Kind != "config" || !strings.Contains(fs[0].Suppression.Justification, "legacy agent") {
		t.Errorf("suppression = %+v", fs[0].Suppression)
	}
	exp := cfg.ExpiredIgnores(now)
	if len(exp) != 1 || exp[0].ID != "DF1201" || exp[0].Line == 0 {
		t.Errorf("expired = %+v", exp)
	}
	// The day it expires it still applies; the day after it does not.
	if cfg.Ignores[3].Expired(time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)) {
		t.Error("an entry must apply through its expiry date")
	}
}

func TestIgnoreFileErrors(t *testing.T) {
	for name, body := range map[string]string{
		"no reason":   "- id: DF1101\n",
		"no id":       "- reason: because\n",
		"bad date":    "- id: DF1101\n  reason: x\n  expires: soon\n",
		"unknown key": "- id: DF1101\n  reason: x\n  until: 2027-01-01\n",
		"not a list":  "id: DF1101\n",
	} {
		p := filepath.Join(t.TempDir(), IgnoreFileName)
		imagetest.FileAt(t, p, body)
		if _, err := LoadIgnores(p); err == nil {
			t.Errorf("%s: accepted %q", name, body)
		} else if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
	}
}

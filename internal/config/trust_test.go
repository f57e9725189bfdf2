package config_test

import (
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
)

// TestTrustRegistriesFeedTrustedRegistries: trust.registries reaches a
// rule's trusted-registries setting unless the rule sets its own.
func TestTrustRegistriesFeedTrustedRegistries(t *testing.T) {
	reg := registry(t)
	r, ok := reg.Get("DF1202")
	if !ok {
		t.Fatal("DF1202 missing")
	}
	c, err := config.Parse([]byte("version: 1\ntrust:\n  registries: [registry.example.com]\n"), reg)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Settings(r).Strings("trusted-registries"); len(got) != 1 || got[0] != "registry.example.com" {
		t.Fatalf("trusted-registries = %v", got)
	}
	c, err = config.Parse([]byte("version: 1\ntrust:\n  registries: [registry.example.com]\nrules:\n  DF1202:\n    trusted-registries: [ghcr.io]\n"), reg)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Settings(r).Strings("trusted-registries"); len(got) != 1 || got[0] != "ghcr.io" {
		t.Fatalf("the rule's own setting must win: %v", got)
	}
	if got := config.Default().Settings(r).Strings("trusted-registries"); len(got) != 0 {
		t.Fatalf("default: %v", got)
	}
}

func TestTrustKeyPaths(t *testing.T) {
	c, err := config.Load(filepath.Join("testdata", "good_trust.yaml"), registry(t))
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join("testdata", "keys", "cosign.pub"))
	if got := c.KeyPaths()["release"]; got != abs {
		t.Fatalf("KeyPaths = %q, want %q", got, abs)
	}
}

func TestTrustKeyless(t *testing.T) {
	reg := registry(t)
	c, err := config.Parse([]byte(`version: 1
trust:
  trusted-root: sigstore/trusted_root.json
  identities:
    - {issuer: https://token.actions.githubusercontent.com, subject-regexp: '^https://github\.com/acme/'}
`), reg)
	if err != nil {
		t.Fatal(err)
	}
	c.Dir = "/etc/shipshape"
	if got := c.TrustedRootPath(); got != "/etc/shipshape/sigstore/trusted_root.json" {
		t.Fatalf("TrustedRootPath = %q", got)
	}
	if len(c.Trust.Identities) != 1 || c.Trust.Identities[0].SubjectRegexp != `^https://github\.com/acme/` {
		t.Fatalf("identities = %+v", c.Trust.Identities)
	}
	for _, bad := range []string{
		"version: 1\ntrust:\n  trusted-root: r.json\n",
		"version: 1\ntrust:\n  identities: [{issuer: i, subject: s}]\n",
		"version: 1\ntrust:\n  trusted-root: r.json\n  identities: [{subject: s}]\n",
		"version: 1\ntrust:\n  trusted-root: r.json\n  identities: [{issuer: i}]\n",
		"version: 1\ntrust:\n  trusted-root: r.json\n  identities: [{issuer: i, subject: s, email: x}]\n",
	} {
		if _, err := config.Parse([]byte(bad), reg); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

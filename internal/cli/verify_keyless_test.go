package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

const (
	kAlice  = "alice@example.com"
	kIssuer = "https://accounts.example.com"
)

// keylessRegistry holds acme/app tagged bundled (a keyless bundle by
// alice), legacy (cosign's tag layout, keyless by alice), mallet (keyless
// by someone else), foreign (keyless under a root nobody trusts) and
// attested (signed by alice, with SLSA provenance and an SPDX SBOM).
func keylessRegistry(t *testing.T) (repo string, ss *trusttest.Sigstore) {
	t.Helper()
	host := trusttest.Registry(t)
	ss = trusttest.NewSigstore(t)
	foreign := trusttest.NewSigstore(t)
	repo = host + "/acme/app"
	sign := func(s *trusttest.Sigstore, who, d string) {
		trusttest.PushBundle(t, repo, d, s.Bundle(t, who, kIssuer, trusttest.Statement(t, d, trust.SignPredicateType, nil)), trust.SignPredicateType)
	}
	sign(ss, kAlice, trusttest.PushImage(t, repo+":bundled"))
	d := trusttest.PushImage(t, repo+":legacy")
	trusttest.PushTagSignature(t, repo, d, ss.KeylessSignature(t, kAlice, kIssuer, repo, d))
	sign(ss, "mallet@example.com", trusttest.PushImage(t, repo+":mallet"))
	sign(foreign, kAlice, trusttest.PushImage(t, repo+":foreign"))
	d = trusttest.PushImage(t, repo+":attested")
	sign(ss, kAlice, d)
	trusttest.PushBundle(t, repo, d, ss.Bundle(t, kAlice, kIssuer, trusttest.Statement(t, d, "https://slsa.dev/provenance/v1", nil)), "https://slsa.dev/provenance/v1")
	trusttest.Push(t, repo+":"+trust.AttestationTag(d), ss.KeylessAttestation(t, kAlice, kIssuer, trusttest.Statement(t, d, "https://spdx.dev/Document", nil)))
	return repo, ss
}

func TestVerifyKeylessCommand(t *testing.T) {
	repo, ss := keylessRegistry(t)
	keyless := []string{"verify", "--insecure", "--trusted-root", ss.RootPath, "--certificate-identity", kAlice, "--certificate-oidc-issuer", kIssuer}
	cases := []struct {
		tag  string
		code int
		want string
	}{
		{"bundled", 0, "good keyless signature by " + kAlice},
		{"legacy", 0, "good keyless signature by " + kAlice},
		{"mallet", 1, "which is not a trusted identity"},
		{"foreign", 1, "does not verify against the trusted root"},
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			r := run(t, "", append(keyless, repo+":"+c.tag)...)
			wantCode(t, r, c.code)
			if !strings.Contains(r.stdout, c.want) {
				t.Fatalf("want %q in %s", c.want, r)
			}
		})
	}
	// The wrong issuer for the right subject.
	r := run(t, "", "verify", "--insecure", "--trusted-root", ss.RootPath, "--certificate-identity", kAlice,
		"--certificate-oidc-issuer", "https://evil.example.com", repo+":bundled")
	wantCode(t, r, 1)
	// Regexp variants.
	r = run(t, "", "verify", "--insecure", "--trusted-root", ss.RootPath, "--certificate-identity-regexp", `@example\.com$`,
		"--certificate-oidc-issuer-regexp", `^https://accounts\.`, repo+":mallet")
	wantCode(t, r, 0)
	// Usage errors: a root without a signer, a signer without a root, a root that is not one.
	wantCode(t, run(t, "", "verify", "--insecure", "--trusted-root", ss.RootPath, repo+":bundled"), 2)
	wantCode(t, run(t, "", "verify", "--insecure", "--certificate-identity", kAlice, "--certificate-oidc-issuer", kIssuer, repo+":bundled"), 2)
	wantCode(t, run(t, "", "verify", "--insecure", "--trusted-root", ss.RootPath, "--certificate-identity", kAlice, repo+":bundled"), 2)
	bad := filepath.Join(t.TempDir(), "root.json")
	os.WriteFile(bad, []byte("{}"), 0o600)
	wantCode(t, run(t, "", "verify", "--insecure", "--trusted-root", bad, "--certificate-identity", kAlice, "--certificate-oidc-issuer", kIssuer, repo+":bundled"), 2)

	// JSON names the identity.
	r = run(t, "", append(keyless, "--format", "json", repo+":bundled")...)
	wantCode(t, r, 0)
	var out struct {
		Verified   bool
		Signatures []struct{ Where, Identity string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	if !out.Verified || len(out.Signatures) != 1 || !strings.Contains(out.Signatures[0].Identity, kAlice) {
		t.Fatalf("json = %+v", out)
	}
}

func TestVerifyAttestationsCommand(t *testing.T) {
	repo, ss := keylessRegistry(t)
	keyless := []string{"verify", "--insecure", "--trusted-root", ss.RootPath, "--certificate-identity", kAlice, "--certificate-oidc-issuer", kIssuer, "--attestations"}
	r := run(t, "", append(keyless, "--format", "json", repo+":attested")...)
	wantCode(t, r, 0)
	var out struct {
		Verified       bool
		PredicateTypes []string
		Attestations   []struct {
			Where, PredicateType string
			Verified             bool
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("json: %v\n%s", err, r)
	}
	if !out.Verified || strings.Join(out.PredicateTypes, " ") != "https://slsa.dev/provenance/v1 https://spdx.dev/Document" || len(out.Attestations) != 2 {
		t.Fatalf("json = %+v", out)
	}
	for typ, code := range map[string]int{"slsaprovenance": 0, "spdxjson": 0, "cyclonedx": 1, "https://spdx.dev/Document": 0} {
		r := run(t, "", append(keyless, "--type", typ, repo+":attested")...)
		wantCode(t, r, code)
		if code == 1 && !strings.Contains(r.stdout, "no verified attestation of type cyclonedx") {
			t.Fatalf("want the missing type named: %s", r)
		}
	}
	// An image with a signature but no attestation.
	r = run(t, "", append(keyless, repo+":bundled")...)
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, "no attestation found") {
		t.Fatalf("want no attestation found: %s", r)
	}
	// Attestations by someone else do not verify.
	r = run(t, "", "verify", "--insecure", "--trusted-root", ss.RootPath, "--certificate-identity", "bob@example.com",
		"--certificate-oidc-issuer", kIssuer, "--attestations", repo+":attested")
	wantCode(t, r, 1)
	// --type without --attestations is a usage error.
	wantCode(t, run(t, "", "verify", "--insecure", "--trusted-root", ss.RootPath, "--certificate-identity", kAlice,
		"--certificate-oidc-issuer", kIssuer, "--type", "spdxjson", repo+":attested"), 2)
}

// TestImageRequireSignatureKeyless: trust.trusted-root and trust.identities
// of .shipshape.yaml make image --require-signature accept keyless
// signatures, and only by the listed identities.
func TestImageRequireSignatureKeyless(t *testing.T) {
	repo, ss := keylessRegistry(t)
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile(filepath.Join(dir, ".git"), nil, 0o600)
	root, _ := os.ReadFile(ss.RootPath)
	os.WriteFile(filepath.Join(dir, "trusted_root.json"), root, 0o600)
	os.WriteFile(filepath.Join(dir, ".shipshape.yaml"), []byte("version: 1\ntrust:\n  trusted-root: trusted_root.json\n  identities:\n"+
		"    - {issuer: "+kIssuer+", subject: "+kAlice+"}\n"), 0o600)
	im1008 := func(tag string) (result, []string) {
		r := run(t, "", "image", "--no-cache", "--scanners", "secret", "--format", "json", "--insecure", "--require-signature", repo+":"+tag)
		var msgs []string
		for _, f := range decodeJSON(t, r).Findings {
			if f.RuleID == "IM1008" {
				msgs = append(msgs, f.Message)
			}
		}
		return r, msgs
	}
	for _, tag := range []string{"bundled", "legacy"} {
		if r, msgs := im1008(tag); r.code != 0 || len(msgs) != 0 {
			t.Fatalf("%s: %v\n%s", tag, msgs, r)
		}
	}
	r, msgs := im1008("mallet")
	wantCode(t, r, 1)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "not a trusted identity") {
		t.Fatalf("mallet: %v", msgs)
	}
	// verify reads the same config.
	wantCode(t, run(t, "", "verify", "--insecure", repo+":legacy"), 0)
	wantCode(t, run(t, "", "verify", "--insecure", repo+":foreign"), 1)
}

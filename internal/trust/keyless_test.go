package trust_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

const (
	alice  = "alice@example.com"
	mallet = "mallet@example.com"
	issuer = "https://accounts.example.com"
)

func keylessPolicy(t *testing.T, rootPath string, ids ...trust.Identity) trust.Policy {
	t.Helper()
	kl, err := trust.LoadKeyless(rootPath, ids)
	if err != nil {
		t.Fatal(err)
	}
	return trust.Policy{Keyless: kl}
}

func verifyWith(t *testing.T, ref string, p trust.Policy, attestations bool) *trust.Result {
	t.Helper()
	res, err := trust.Verify(context.Background(), ref, p, trust.Options{Name: []name.Option{name.Insecure}, Attestations: attestations})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestVerifyKeyless(t *testing.T) {
	host := trusttest.Registry(t)
	ss := trusttest.NewSigstore(t)
	other := trusttest.NewSigstore(t) // a Sigstore nobody trusts
	repo := host + "/acme/app"

	bundled := trusttest.PushImage(t, repo+":bundled")
	trusttest.PushBundle(t, repo, bundled, ss.Bundle(t, alice, issuer,
		trusttest.Statement(t, bundled, trust.SignPredicateType, nil)), trust.SignPredicateType)

	legacy := trusttest.PushImage(t, repo+":legacy")
	trusttest.PushTagSignature(t, repo, legacy, ss.KeylessSignature(t, alice, issuer, repo, legacy))

	byMallet := trusttest.PushImage(t, repo+":mallet")
	trusttest.PushBundle(t, repo, byMallet, ss.Bundle(t, mallet, issuer,
		trusttest.Statement(t, byMallet, trust.SignPredicateType, nil)), trust.SignPredicateType)

	otherIssuer := trusttest.PushImage(t, repo+":otherissuer")
	trusttest.PushTagSignature(t, repo, otherIssuer, ss.KeylessSignature(t, alice, "https://evil.example.com", repo, otherIssuer))

	untrustedRoot := trusttest.PushImage(t, repo+":untrustedroot")
	trusttest.PushBundle(t, repo, untrustedRoot, other.Bundle(t, alice, issuer,
		trusttest.Statement(t, untrustedRoot, trust.SignPredicateType, nil)), trust.SignPredicateType)

	untrustedLegacy := trusttest.PushImage(t, repo+":untrustedlegacy")
	trusttest.PushTagSignature(t, repo, untrustedLegacy, other.KeylessSignature(t, alice, issuer, repo, untrustedLegacy))

	tampered := trusttest.PushImage(t, repo+":tampered")
	trusttest.PushBundle(t, repo, tampered, trusttest.Tamper(t, ss.Bundle(t, alice, issuer,
		trusttest.Statement(t, tampered, trust.SignPredicateType, nil))), trust.SignPredicateType)

	// A valid bundle for another image, attached to this one.
	copied := trusttest.PushImage(t, repo+":copied")
	trusttest.PushBundle(t, repo, copied, ss.Bundle(t, alice, issuer,
		trusttest.Statement(t, bundled, trust.SignPredicateType, nil)), trust.SignPredicateType)

	// A legacy signature whose payload names another image.
	copiedLegacy := trusttest.PushImage(t, repo+":copiedlegacy")
	trusttest.PushTagSignature(t, repo, copiedLegacy, ss.KeylessSignature(t, alice, issuer, repo, legacy))

	// Only an attestation: provenance is not a signature.
	attestedOnly := trusttest.PushImage(t, repo+":attested")
	trusttest.PushBundle(t, repo, attestedOnly, ss.Bundle(t, alice, issuer,
		trusttest.Statement(t, attestedOnly, "https://slsa.dev/provenance/v1", nil)), "https://slsa.dev/provenance/v1")

	p := keylessPolicy(t, ss.RootPath, trust.Identity{Issuer: issuer, Subject: alice})
	cases := []struct {
		tag, want string
		ok        bool
	}{
		{"bundled", "", true},
		{"legacy", "", true},
		{"mallet", "keyless signature by " + mallet + " (issuer " + issuer + "), which is not a trusted identity", false},
		{"otherissuer", "issuer https://evil.example.com), which is not a trusted identity", false},
		{"untrustedroot", "no transparency log entry verifies under a Rekor log of the root", false},
		{"untrustedlegacy", "no transparency log entry verifies under a Rekor log of the root", false},
		{"tampered", "altered after signing", false},
		{"copied", "names " + bundled + ", not this image's", false},
		{"copiedlegacy", "but the payload names " + legacy, false},
		{"attested", "no cosign signature found", false},
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			res := verifyWith(t, repo+":"+c.tag, p, false)
			if res.Verified() != c.ok {
				t.Fatalf("Verified() = %v, want %v (%s)", res.Verified(), c.ok, res.Problem())
			}
			if !strings.Contains(res.Problem(), c.want) {
				t.Fatalf("Problem() = %q, want it to contain %q", res.Problem(), c.want)
			}
			if c.ok && !strings.Contains(res.Signatures[0].Identity, alice) {
				t.Fatalf("identity = %q, want %s", res.Signatures[0].Identity, alice)
			}
		})
	}

	// Regexp identities: any subject at example.com from that issuer.
	re := keylessPolicy(t, ss.RootPath, trust.Identity{Issuer: issuer, SubjectRegexp: `^[a-z]+@example\.com$`})
	if res := verifyWith(t, repo+":mallet", re, false); !res.Verified() {
		t.Fatalf("mallet under a regexp identity: %s", res.Problem())
	}
	// A keyless signature when only keys are trusted says what is missing.
	key := trusttest.NewKey(t)
	k, err := trust.LoadKey("", key.PubPath)
	if err != nil {
		t.Fatal(err)
	}
	res := verifyWith(t, repo+":bundled", trust.Policy{Keys: []trust.Key{k}}, false)
	if res.Verified() || !strings.Contains(res.Problem(), "no trusted root") {
		t.Fatalf("keyless bundle under keys only: %v %q", res.Verified(), res.Problem())
	}
}

func TestVerifyKeyBundle(t *testing.T) {
	host := trusttest.Registry(t)
	key, other := trusttest.NewKey(t), trusttest.NewKey(t)
	repo := host + "/acme/keyed"
	signed := trusttest.PushImage(t, repo+":signed")
	trusttest.PushBundle(t, repo, signed, trusttest.KeyBundle(t, key, trusttest.Statement(t, signed, trust.SignPredicateType, nil)), trust.SignPredicateType)
	wrong := trusttest.PushImage(t, repo+":wrong")
	trusttest.PushBundle(t, repo, wrong, trusttest.KeyBundle(t, other, trusttest.Statement(t, wrong, trust.SignPredicateType, nil)), trust.SignPredicateType)
	copied := trusttest.PushImage(t, repo+":copied")
	trusttest.PushBundle(t, repo, copied, trusttest.KeyBundle(t, key, trusttest.Statement(t, signed, trust.SignPredicateType, nil)), trust.SignPredicateType)

	k, err := trust.LoadKey("release", key.PubPath)
	if err != nil {
		t.Fatal(err)
	}
	p := trust.Policy{Keys: []trust.Key{k}}
	if res := verifyWith(t, repo+":signed", p, false); !res.Verified() || res.Signatures[0].Key != "release" {
		t.Fatalf("signed: %s %+v", res.Problem(), res.Signatures)
	}
	if res := verifyWith(t, repo+":wrong", p, false); res.Verified() || !strings.Contains(res.Problem(), "does not verify under any trusted key") {
		t.Fatalf("wrong key: %q", res.Problem())
	}
	if res := verifyWith(t, repo+":copied", p, false); res.Verified() || !strings.Contains(res.Problem(), "the statement names "+signed) {
		t.Fatalf("copied: %q", res.Problem())
	}
}

func TestLoadKeyless(t *testing.T) {
	ss := trusttest.NewSigstore(t)
	for _, ids := range [][]trust.Identity{
		nil,
		{{Subject: alice}},
		{{Issuer: issuer}},
		{{Issuer: issuer, SubjectRegexp: "("}},
	} {
		if _, err := trust.LoadKeyless(ss.RootPath, ids); err == nil {
			t.Errorf("identities %+v: want an error", ids)
		}
	}
	if _, err := trust.LoadKeyless(ss.RootPath+".missing", []trust.Identity{{Issuer: issuer, Subject: alice}}); err == nil {
		t.Error("missing trusted root: want an error")
	}
}

// TestVerifyKeylessTimestamped: under a root that names no Rekor log the
// signed timestamp of the root's timestamp authority is what vouches for
// the signing time; without that authority nothing does.
func TestVerifyKeylessTimestamped(t *testing.T) {
	host := trusttest.Registry(t)
	ss := trusttest.NewTimestampedSigstore(t)
	repo := host + "/acme/tsa"
	d := trusttest.PushImage(t, repo+":bundled")
	trusttest.PushBundle(t, repo, d, ss.Bundle(t, alice, issuer, trusttest.Statement(t, d, trust.SignPredicateType, nil)), trust.SignPredicateType)
	l := trusttest.PushImage(t, repo+":legacy")
	trusttest.PushTagSignature(t, repo, l, ss.KeylessSignature(t, alice, issuer, repo, l))
	id := trust.Identity{Issuer: issuer, Subject: alice}
	for _, tag := range []string{"bundled", "legacy"} {
		if res := verifyWith(t, repo+":"+tag, keylessPolicy(t, ss.RootPath, id), false); !res.Verified() {
			t.Errorf("%s under the timestamped root: %s", tag, res.Problem())
		}
		res := verifyWith(t, repo+":"+tag, keylessPolicy(t, ss.WithoutTSA(t), id), false)
		if res.Verified() || !strings.Contains(res.Problem(), "timestamp") {
			t.Errorf("%s without the timestamp authority: verified=%v %q", tag, res.Verified(), res.Problem())
		}
	}
}

package trust_test

import (
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/trust/trusttest"
)

const (
	slsa1 = "https://slsa.dev/provenance/v1"
	spdx  = "https://spdx.dev/Document"
	cdx   = "https://cyclonedx.org/bom"
)

func TestAttestations(t *testing.T) {
	host := trusttest.Registry(t)
	ss := trusttest.NewSigstore(t)
	key, other := trusttest.NewKey(t), trusttest.NewKey(t)
	repo := host + "/acme/att"

	// Keyless SLSA provenance as a bundle referrer, keyless SPDX in the
	// .att tag, a key-signed CycloneDX in the .att tag, and one by an
	// untrusted key; the image itself is signed keyless.
	d := trusttest.PushImage(t, repo+":attested")
	trusttest.PushBundle(t, repo, d, ss.Bundle(t, alice, issuer, trusttest.Statement(t, d, slsa1, map[string]any{"buildType": "x"})), slsa1)
	trusttest.PushBundle(t, repo, d, ss.Bundle(t, alice, issuer, trusttest.Statement(t, d, trust.SignPredicateType, nil)), trust.SignPredicateType)
	att := trusttest.AppendLayers(t,
		ss.KeylessAttestation(t, alice, issuer, trusttest.Statement(t, d, spdx, nil)),
		trusttest.KeyAttestation(t, key, trusttest.Statement(t, d, cdx, nil)),
		trusttest.KeyAttestation(t, other, trusttest.Statement(t, d, cdx, nil)),
		// Provenance of another image, validly signed, attached here.
		trusttest.KeyAttestation(t, key, trusttest.Statement(t, strings.Replace(d, "sha256:", "sha256:0", 1)[:len(d)], slsa1, nil)),
	)
	trusttest.Push(t, repo+":"+trust.AttestationTag(d), att)

	// Only attestations, no signature: still unsigned.
	only := trusttest.PushImage(t, repo+":onlyatt")
	trusttest.Push(t, repo+":"+trust.AttestationTag(only), trusttest.KeyAttestation(t, key, trusttest.Statement(t, only, cdx, nil)))

	k, err := trust.LoadKey("release", key.PubPath)
	if err != nil {
		t.Fatal(err)
	}
	p := keylessPolicy(t, ss.RootPath, trust.Identity{Issuer: issuer, Subject: alice})
	p.Keys = []trust.Key{k}

	res := verifyWith(t, repo+":attested", p, true)
	if !res.Verified() {
		t.Fatalf("signature: %s", res.Problem())
	}
	var verified, failed []string
	for _, a := range res.Attestations {
		if a.Verified() {
			verified = append(verified, a.PredicateType)
		} else {
			failed = append(failed, a.PredicateType+": "+a.Problem)
		}
	}
	if strings.Join(verified, ",") != spdx+","+cdx+","+slsa1 {
		t.Errorf("verified attestations = %v", verified)
	}
	if len(failed) != 2 || !strings.Contains(failed[0], "does not verify under any trusted key") ||
		!strings.Contains(failed[1], "but the statement names") {
		t.Errorf("failed attestations = %v", failed)
	}
	// Without Options.Attestations nothing is read.
	if res := verifyWith(t, repo+":attested", p, false); len(res.Attestations) != 0 || !res.Verified() {
		t.Errorf("attestations read unasked: %+v", res.Attestations)
	}
	// An image with attestations only is not signed.
	res = verifyWith(t, repo+":onlyatt", p, true)
	if res.Verified() || len(res.Attestations) != 1 || !res.Attestations[0].Verified() {
		t.Fatalf("onlyatt: verified=%v attestations=%+v", res.Verified(), res.Attestations)
	}
	// A tampered attestation bundle.
	tam := trusttest.PushImage(t, repo+":tampered")
	trusttest.PushBundle(t, repo, tam, trusttest.Tamper(t, ss.Bundle(t, alice, issuer, trusttest.Statement(t, tam, slsa1, nil))), slsa1)
	res = verifyWith(t, repo+":tampered", p, true)
	if len(res.Attestations) != 1 || res.Attestations[0].Verified() || res.Attestations[0].PredicateType != slsa1 {
		t.Fatalf("tampered: %+v", res.Attestations)
	}
}

func TestMatchesType(t *testing.T) {
	for _, c := range []struct {
		pt, want string
		ok       bool
	}{
		{slsa1, "slsaprovenance", true},
		{"https://slsa.dev/provenance/v0.2", "slsaprovenance", true},
		{slsa1, "slsaprovenance02", false},
		{spdx, "spdxjson", true},
		{cdx, "cyclonedx", true},
		{cdx, "spdxjson", false},
		{slsa1, slsa1, true},
		{slsa1, "https://example.com/x", false},
	} {
		if got := trust.MatchesType(c.pt, c.want); got != c.ok {
			t.Errorf("MatchesType(%q, %q) = %v", c.pt, c.want, got)
		}
	}
}

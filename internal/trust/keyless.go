package trust

import (
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// Identity is a keyless signer shipshape trusts: the OIDC issuer that
// vouched for the signer and the subject (an e-mail, a workflow URI) the
// Fulcio certificate was issued to, each exact or as a regular expression.
// Both halves are required, since a subject means nothing without the
// issuer that authenticated it.
type Identity struct {
	Issuer        string
	IssuerRegexp  string
	Subject       string
	SubjectRegexp string
}

// String is the identity as findings quote it.
func (i Identity) String() string {
	s, is := i.Subject, i.Issuer
	if s == "" {
		s = "~" + i.SubjectRegexp
	}
	if is == "" {
		is = "~" + i.IssuerRegexp
	}
	return s + " (issuer " + is + ")"
}

// Keyless is the trust in keyless (Fulcio certificate) signatures: a
// Sigstore trusted root (trusted_root.json: Fulcio CAs, Rekor logs,
// timestamp authorities, CT logs) and the identities allowed to sign.
// Everything is checked offline against the root: no Fulcio, Rekor or TUF
// server is contacted.
type Keyless struct {
	// RootPath is where the trusted root was read from, for messages.
	RootPath   string
	root       root.TrustedMaterial
	identities verify.CertificateIdentities
	names      []string
	// requireSCT is set when the root names CT logs: a Fulcio certificate
	// is then expected to carry a signed certificate timestamp, as the
	// public-good instance's do.
	requireSCT bool
}

// LoadKeyless reads a trusted root JSON file and compiles the identities.
func LoadKeyless(rootPath string, ids []Identity) (*Keyless, error) {
	tr, err := root.NewTrustedRootFromPath(rootPath)
	if err != nil {
		return nil, fmt.Errorf("trusted root %s: %w", rootPath, err)
	}
	return NewKeyless(rootPath, tr, ids)
}

// NewKeyless builds the keyless trust from trusted material already loaded.
func NewKeyless(name string, tm root.TrustedMaterial, ids []Identity) (*Keyless, error) {
	if len(ids) == 0 {
		return nil, errors.New("keyless verification needs at least one identity (an OIDC issuer and a certificate subject)")
	}
	k := &Keyless{RootPath: name, root: tm, requireSCT: len(tm.CTLogs()) > 0}
	for _, id := range ids {
		if id.Issuer == "" && id.IssuerRegexp == "" {
			return nil, fmt.Errorf("identity %q: no OIDC issuer (give the issuer or an issuer regexp)", id.Subject+id.SubjectRegexp)
		}
		if id.Subject == "" && id.SubjectRegexp == "" {
			return nil, fmt.Errorf("identity with issuer %q: no certificate subject (give the subject or a subject regexp)", id.Issuer+id.IssuerRegexp)
		}
		ci, err := verify.NewShortCertificateIdentity(id.Issuer, id.IssuerRegexp, id.Subject, id.SubjectRegexp)
		if err != nil {
			return nil, fmt.Errorf("identity %s: %w", id, err)
		}
		k.identities = append(k.identities, ci)
		k.names = append(k.names, id.String())
	}
	return k, nil
}

// verifier is a sigstore-go verifier that demands, offline, a Rekor entry
// (inclusion proof or signed entry timestamp, checked against the root's
// log keys) and a time the certificate was valid at, observed by the log
// or by a timestamp authority of the root. A root that names no Rekor log
// (a private deployment that timestamps instead of logging) demands a
// signed timestamp from one of its timestamp authorities instead: the root
// says what the signer's infrastructure vouches with.
func (k *Keyless) verifier() (*verify.Verifier, error) {
	opts := []verify.VerifierOption{verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1)}
	if len(k.root.RekorLogs()) == 0 {
		opts = []verify.VerifierOption{verify.WithSignedTimestamps(1)}
	}
	if k.requireSCT {
		opts = append(opts, verify.WithSignedCertificateTimestamps(1))
	}
	return verify.NewVerifier(k.root, opts...)
}

// verifyEntity checks one signed entity under the root and identities.
// artifact is the exact payload signed (a simple-signing document) or,
// when nil, the image digest the DSSE statement must name as subject. It
// returns the signer's identity as found in the certificate and, when the
// entity does not count, the problem.
func (k *Keyless) verifyEntity(e verify.SignedEntity, artifact []byte, digest string) (*verify.VerificationResult, string, string) {
	signer := signerOf(e)
	v, err := k.verifier()
	if err != nil {
		return nil, signer, "keyless verifier: " + err.Error()
	}
	var art verify.ArtifactPolicyOption
	if artifact != nil {
		art = verify.WithArtifact(strings.NewReader(string(artifact)))
	} else {
		alg, hexd, ok := strings.Cut(digest, ":")
		raw, err := hex.DecodeString(hexd)
		if !ok || err != nil {
			return nil, signer, "not a digest: " + digest
		}
		art = verify.WithArtifactDigest(alg, raw)
	}
	var popts []verify.PolicyOption
	for _, ci := range k.identities {
		popts = append(popts, verify.WithCertificateIdentity(ci))
	}
	res, err := v.Verify(e, verify.NewPolicy(art, popts...))
	if err != nil {
		return nil, signer, k.explain(err, signer)
	}
	return res, signer, ""
}

// explain turns a sigstore-go error into a problem a user can act on: an
// identity mismatch names who did sign and who is trusted.
func (k *Keyless) explain(err error, signer string) string {
	msg := err.Error()
	if strings.Contains(msg, "CertificateIdentity") || strings.Contains(msg, "no matching") {
		return fmt.Sprintf("keyless signature by %s, which is not a trusted identity (trusted: %s)", signer, strings.Join(k.names, ", "))
	}
	why := ""
	for _, r := range sigstoreReasons {
		if strings.HasPrefix(msg, r.prefix) && strings.Contains(msg, r.contains) {
			why = r.why + " "
			break
		}
	}
	return "keyless signature by " + signer + " does not verify against the trusted root " + k.RootPath + ": " + why + "(" + msg + ")"
}

// sigstoreReasons say in a user's terms what a failed stage of
// sigstore-go's verification means, keyed by the prefix of its error and a
// part of its cause; the first match wins.
var sigstoreReasons = []struct{ prefix, contains, why string }{
	{"failed to verify log inclusion", "does not match", "the signed content or signature differs from what the transparency log recorded (altered after signing)"},
	{"failed to verify log inclusion", "not enough verified log entries", "no transparency log entry verifies under a Rekor log of the root (signed with another Sigstore instance, or never logged)"},
	{"failed to verify timestamps", "", "no time the certificate was valid at is vouched for by the root's log or timestamp authorities"},
	{"failed to verify leaf certificate", "", "the certificate does not chain to a Fulcio CA of the root"},
	{"failed to verify signed certificate timestamp", "", "the certificate has no valid signed certificate timestamp from a CT log of the root"},
	{"failed to verify signature", "", "the signature does not match the signed content (altered after signing)"},
	{"failed to verify signed timestamps", "", "a timestamp does not verify under the root's timestamp authorities"},
}

// signerOf reads the subject and issuer of an entity's Fulcio certificate
// for messages; it is informational only and never trusted by itself.
func signerOf(e verify.SignedEntity) string {
	vc, err := e.VerificationContent()
	if err != nil {
		return "an unreadable certificate"
	}
	c := vc.Certificate()
	if c == nil {
		return "a public key (not a certificate)"
	}
	return certSigner(c)
}

func certSigner(c *x509.Certificate) string {
	s, err := certificate.SummarizeCertificate(c)
	if err != nil {
		return "a certificate without Fulcio extensions"
	}
	return s.SubjectAlternativeName + " (issuer " + s.Issuer + ")"
}

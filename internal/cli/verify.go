package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/trust"
)

func newVerifyCmd(e *env) *cobra.Command {
	var tf trustFlags
	var insecure, attestations bool
	var format, configPath, predicateType string
	cmd := &cobra.Command{
		Use:     "verify IMAGE",
		Short:   "Verify an image's cosign signatures or attestations in its registry, with keys or keyless identities",
		Long:    verifyHelpLong,
		Example: verifyHelpExample,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("--format: unknown format %q (want text, json)", format)
			}
			if predicateType != "" && !attestations {
				return usageErr("--type is for --attestations")
			}
			sf := scanFlags{config: configPath}
			finder, err := sf.finder(e.rules)
			if err != nil {
				return err
			}
			cfg, err := finder.For(".")
			if err != nil {
				return usageErr("%v", err)
			}
			pol, err := tf.policy(cfg)
			if err != nil {
				return err
			}
			o := trust.RegistryOptions(insecure)
			o.Attestations = attestations
			res, err := trust.Verify(e.ctx, args[0], pol, o)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			v := newVerdict(res, attestations, predicateType)
			if err := writeVerify(e, format, v); err != nil {
				return err
			}
			if !v.Verified {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	tf.register(fl, "")
	fl.BoolVar(&attestations, "attestations", false, "verify the image's in-toto attestations (DSSE) instead of its signatures, and list their predicate types")
	fl.StringVar(&predicateType, "type", "", "with --attestations: the predicate type that must verify (slsaprovenance, spdxjson, cyclonedx, openvex, vuln, or a URI)")
	fl.BoolVar(&insecure, "insecure", false, "allow plain-HTTP and unverified-TLS registries")
	fl.StringVarP(&format, "format", "f", "text", "output format: text, json")
	fl.StringVarP(&configPath, "config", "c", "", "use this config file instead of discovering .shipshape.yaml")
	return cmd
}

// verifyJSON is the JSON shape of a verify result; it is also the verdict
// the command exits on.
type verifyJSON struct {
	Ref        string            `json:"ref"`
	Digest     string            `json:"digest"`
	Verified   bool              `json:"verified"`
	Problem    string            `json:"problem,omitempty"`
	Signatures []verifySignature `json:"signatures"`
	// Attestations and PredicateTypes (the verified ones, sorted, distinct)
	// are present under --attestations.
	Attestations   []verifyAttestation `json:"attestations,omitempty"`
	PredicateTypes []string            `json:"predicateTypes,omitempty"`
	// attestationMode: the verdict is on attestations, not signatures.
	attestationMode bool
}

type verifySignature struct {
	Where    string `json:"where"`
	Key      string `json:"key,omitempty"`
	Identity string `json:"identity,omitempty"`
	Problem  string `json:"problem,omitempty"`
}

type verifyAttestation struct {
	Where         string `json:"where"`
	PredicateType string `json:"predicateType,omitempty"`
	Key           string `json:"key,omitempty"`
	Identity      string `json:"identity,omitempty"`
	Verified      bool   `json:"verified"`
	Problem       string `json:"problem,omitempty"`
}

// newVerdict decides: without --attestations the image verifies when a
// signature does; with it, when an attestation (of the wanted type, if
// one is named) does. Attestations never stand in for a signature.
func newVerdict(res *trust.Result, attestations bool, want string) *verifyJSON {
	v := &verifyJSON{Ref: res.Ref, Digest: res.Digest, Signatures: []verifySignature{}, attestationMode: attestations}
	for _, s := range res.Signatures {
		v.Signatures = append(v.Signatures, verifySignature(s))
	}
	if !attestations {
		v.Verified, v.Problem = res.Verified(), res.Problem()
		return v
	}
	types := map[string]bool{}
	v.Attestations = []verifyAttestation{}
	for _, a := range res.Attestations {
		v.Attestations = append(v.Attestations, verifyAttestation{Where: a.Where, PredicateType: a.PredicateType, Key: a.Key,
			Identity: a.Identity, Verified: a.Verified(), Problem: a.Problem})
		if a.Verified() {
			types[a.PredicateType] = true
			if want == "" || trust.MatchesType(a.PredicateType, want) {
				v.Verified = true
			}
		}
	}
	for t := range types {
		v.PredicateTypes = append(v.PredicateTypes, t)
	}
	sort.Strings(v.PredicateTypes)
	if v.Verified {
		return v
	}
	switch {
	case len(res.Attestations) == 0:
		v.Problem = "no attestation found (neither the " + trust.AttestationTag(res.Digest) + " tag nor an attestation bundle among the referrers)"
	case want != "" && len(types) > 0:
		v.Problem = "no verified attestation of type " + want + " (verified: " + strings.Join(v.PredicateTypes, ", ") + ")"
	default:
		var ps []string
		for _, a := range res.Attestations {
			ps = append(ps, a.Where+": "+a.Problem)
		}
		v.Problem = "no attestation verifies: " + strings.Join(ps, "; ")
	}
	return v
}

func writeVerify(e *env, format string, v *verifyJSON) error {
	if format == "json" {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	}
	var b strings.Builder
	what := ""
	if v.attestationMode {
		what = "attestations "
	}
	if v.Verified {
		fmt.Fprintf(&b, "%s (%s): %sverified\n", v.Ref, v.Digest, what)
	} else {
		fmt.Fprintf(&b, "%s (%s): %sNOT verified: %s\n", v.Ref, v.Digest, what, v.Problem)
	}
	if !v.attestationMode {
		for _, s := range v.Signatures {
			b.WriteString("  " + s.Where + ": " + describe(s.Key, s.Identity, s.Problem, "signature") + "\n")
		}
	}
	for _, a := range v.Attestations {
		b.WriteString("  " + a.Where + ": " + a.PredicateType + ": " + describe(a.Key, a.Identity, a.Problem, "attestation") + "\n")
	}
	if v.attestationMode && len(v.PredicateTypes) > 0 {
		b.WriteString("  predicate types: " + strings.Join(v.PredicateTypes, ", ") + "\n")
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

// describe says who signed a good signature or attestation, or its problem.
func describe(key, identity, problem, what string) string {
	switch {
	case problem != "":
		return problem
	case key != "":
		return "good " + what + " by " + key
	default:
		return "good keyless " + what + " by " + identity
	}
}

const verifyHelpLong = `Verify the cosign signatures of a registry image, or its attestations,
offline: the reference is resolved to its manifest digest, and every
signature stored for that digest is checked: the sha256-<hex>.sig tag in the
image's repository (cosign's tag scheme) and OCI 1.1 referrers that are
cosign signature manifests or Sigstore bundles (cosign v3). A signature
counts when it verifies under the policy and is about this image's digest:
a valid signature of some other image copied next to this one does not
count.

Who may sign:
  --key cosign.pub (repeatable): ECDSA, RSA or Ed25519 public keys; key
      signatures are checked without any transparency log.
  --trusted-root trusted_root.json with --certificate-identity (or
      -regexp) and --certificate-oidc-issuer (or -regexp): keyless
      signatures. The Fulcio certificate must chain to the root's CA, its
      subject and OIDC issuer must match, and the signature must be in the
      root's Rekor log (inclusion proof or signed entry timestamp) at a
      time the certificate was valid; SCTs are required when the root
      lists CT logs. Nothing is fetched from Sigstore: the root is the
      whole of the trust.
Without these flags, trust.keys, trust.trusted-root and trust.identities
of .shipshape.yaml are used.

--attestations verifies the in-toto attestations instead (DSSE envelopes
in the sha256-<hex>.att tag and attestation bundles among the referrers)
under the same policy, and lists the predicate types that verify; --type
(slsaprovenance, spdxjson, cyclonedx, openvex, vuln, or a URI) names one
that must. Attestations never count as the image's signature.

Exit codes: 0 verified, 1 unsigned or no signature (attestation) verifies,
each one's problem listed, 2 usage error, a key or trusted root that cannot
be read, or a registry that cannot be reached or lacks the image.`

const verifyHelpExample = `  shipshape verify --key cosign.pub ghcr.io/acme/app:1.4
  shipshape verify --key cosign.pub --format json registry.example.com/app@sha256:...
  shipshape verify --trusted-root trusted_root.json \
      --certificate-identity-regexp '^https://github.com/acme/' \
      --certificate-oidc-issuer https://token.actions.githubusercontent.com ghcr.io/acme/app:1.4
  shipshape verify --attestations --type slsaprovenance --key cosign.pub ghcr.io/acme/app:1.4
  shipshape verify --insecure --key cosign.pub localhost:5000/app:dev
  shipshape verify ghcr.io/acme/app:1.4          # trust section of .shipshape.yaml`

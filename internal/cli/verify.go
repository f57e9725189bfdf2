package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/trust"
)

func newVerifyCmd(e *env) *cobra.Command {
	var keyPaths []string
	var insecure bool
	var format, configPath string
	cmd := &cobra.Command{
		Use:     "verify IMAGE",
		Short:   "Verify an image's cosign signatures in its registry against public keys",
		Long:    verifyHelpLong,
		Example: verifyHelpExample,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("--format: unknown format %q (want text, json)", format)
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
			keys, err := trustKeys(keyPaths, cfg)
			if err != nil {
				return err
			}
			o := trust.RegistryOptions(insecure)
			res, err := trust.Verify(e.ctx, args[0], keys, o)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if err := writeVerify(e, format, res); err != nil {
				return err
			}
			if !res.Verified() {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&keyPaths, "key", nil, "PEM public key (cosign.pub) a signature must verify under (repeatable; default: trust.keys of .shipshape.yaml)")
	fl.BoolVar(&insecure, "insecure", false, "allow plain-HTTP and unverified-TLS registries")
	fl.StringVarP(&format, "format", "f", "text", "output format: text, json")
	fl.StringVarP(&configPath, "config", "c", "", "use this config file instead of discovering .shipshape.yaml")
	return cmd
}

// trustKeys loads the --key files, or else the config's trust.keys; having
// neither is a usage error, since nothing could ever verify.
func trustKeys(paths []string, cfg *config.Config) ([]trust.Key, error) {
	var keys []trust.Key
	for _, p := range paths {
		k, err := trust.LoadKey("", p)
		if err != nil {
			return nil, usageErr("--key: %v", err)
		}
		keys = append(keys, k)
	}
	if len(keys) > 0 {
		return keys, nil
	}
	named := cfg.KeyPaths()
	labels := make([]string, 0, len(named))
	for l := range named {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		k, err := trust.LoadKey(l, named[l])
		if err != nil {
			return nil, usageErr("trust.keys.%s: %v", l, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, usageErr("no public key: give --key cosign.pub, or list keys under trust.keys in .shipshape.yaml")
	}
	return keys, nil
}

// verifyJSON is the JSON shape of a verify result.
type verifyJSON struct {
	Ref        string            `json:"ref"`
	Digest     string            `json:"digest"`
	Verified   bool              `json:"verified"`
	Problem    string            `json:"problem,omitempty"`
	Signatures []verifySignature `json:"signatures"`
}

type verifySignature struct {
	Where   string `json:"where"`
	Key     string `json:"key,omitempty"`
	Problem string `json:"problem,omitempty"`
}

func writeVerify(e *env, format string, res *trust.Result) error {
	if format == "json" {
		out := verifyJSON{Ref: res.Ref, Digest: res.Digest, Verified: res.Verified(), Problem: res.Problem(), Signatures: []verifySignature{}}
		for _, s := range res.Signatures {
			out.Signatures = append(out.Signatures, verifySignature(s))
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	}
	var b strings.Builder
	if res.Verified() {
		fmt.Fprintf(&b, "%s (%s): verified\n", res.Ref, res.Digest)
	} else {
		fmt.Fprintf(&b, "%s (%s): NOT verified: %s\n", res.Ref, res.Digest, res.Problem())
	}
	for _, s := range res.Signatures {
		switch {
		case s.Problem == "":
			fmt.Fprintf(&b, "  %s: good signature by %s\n", s.Where, s.Key)
		default:
			fmt.Fprintf(&b, "  %s: %s\n", s.Where, s.Problem)
		}
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

const verifyHelpLong = `Verify the cosign signatures of a registry image against public keys,
offline from any transparency log: the reference is resolved to its manifest
digest, and every signature cosign stored for that digest is checked: the
sha256-<hex>.sig tag in the image's repository and OCI 1.1 referrers whose
artifact type is a cosign signature. A signature counts when it verifies
under one of the keys (sigstore's verifier: ECDSA, RSA, Ed25519) and its
simple-signing payload names this image's digest: a valid signature of some
other image copied next to this one does not count.

Keys come from --key (repeatable) or, without it, from trust.keys in
.shipshape.yaml. Keyless (Fulcio certificate) signatures and attestations
are not verified yet (docs/trust.md).

Exit codes: 0 verified, 1 unsigned or no signature verifies (each
signature's problem is listed), 2 usage error, a key that cannot be read,
or a registry that cannot be reached or lacks the image.`

const verifyHelpExample = `  shipshape verify --key cosign.pub ghcr.io/acme/app:1.4
  shipshape verify --key cosign.pub --format json registry.example.com/app@sha256:...
  shipshape verify --insecure --key cosign.pub localhost:5000/app:dev
  shipshape verify ghcr.io/acme/app:1.4          # keys from trust.keys in .shipshape.yaml`

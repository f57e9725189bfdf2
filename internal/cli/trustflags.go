package cli

import (
	"sort"

	"github.com/spf13/pflag"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/trust"
)

// trustFlags are who may sign, as verify, image and audit take them: public
// keys and a keyless identity under a Sigstore trusted root. Given on the
// command line they replace the trust section of .shipshape.yaml; without
// them that section is the policy.
type trustFlags struct {
	keys                         []string
	trustedRoot                  string
	identity, identityRegexp     string
	oidcIssuer, oidcIssuerRegexp string
}

// register adds the flags; prefix is prepended to each help text ("" or
// "--require-signature: ").
func (tf *trustFlags) register(fl *pflag.FlagSet, prefix string) {
	fl.StringArrayVar(&tf.keys, "key", nil, prefix+"PEM public key (cosign.pub) a signature must verify under (repeatable; default: trust.keys of .shipshape.yaml)")
	fl.StringVar(&tf.trustedRoot, "trusted-root", "", prefix+"Sigstore trusted_root.json keyless signatures are verified against, offline (default: trust.trusted-root)")
	fl.StringVar(&tf.identity, "certificate-identity", "", prefix+"keyless: the signer's certificate subject (e-mail, workflow URI)")
	fl.StringVar(&tf.identityRegexp, "certificate-identity-regexp", "", prefix+"keyless: a regexp the certificate subject must match")
	fl.StringVar(&tf.oidcIssuer, "certificate-oidc-issuer", "", prefix+"keyless: the OIDC issuer that authenticated the signer")
	fl.StringVar(&tf.oidcIssuerRegexp, "certificate-oidc-issuer-regexp", "", prefix+"keyless: a regexp the OIDC issuer must match")
}

// given reports whether any trust flag was set.
func (tf *trustFlags) given() bool {
	return len(tf.keys) > 0 || tf.trustedRoot != "" || tf.keylessGiven()
}

func (tf *trustFlags) keylessGiven() bool {
	return tf.identity != "" || tf.identityRegexp != "" || tf.oidcIssuer != "" || tf.oidcIssuerRegexp != ""
}

// policy builds the trust policy from the flags or, when none is given,
// from the config. Nothing to verify under is a usage error, since nothing
// could ever verify; so is an unreadable key or root.
func (tf *trustFlags) policy(cfg *config.Config) (trust.Policy, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	var p trust.Policy
	if tf.given() {
		for _, path := range tf.keys {
			k, err := trust.LoadKey("", path)
			if err != nil {
				return p, usageErr("--key: %v", err)
			}
			p.Keys = append(p.Keys, k)
		}
		if tf.trustedRoot != "" || tf.keylessGiven() {
			root := tf.trustedRoot
			if root == "" {
				root = cfg.TrustedRootPath()
			}
			if root == "" {
				return p, usageErr("--certificate-identity needs --trusted-root (or trust.trusted-root in .shipshape.yaml)")
			}
			if !tf.keylessGiven() {
				return p, usageErr("--trusted-root needs the signer: --certificate-identity (or -regexp) and --certificate-oidc-issuer (or -regexp)")
			}
			kl, err := trust.LoadKeyless(root, []trust.Identity{{Issuer: tf.oidcIssuer, IssuerRegexp: tf.oidcIssuerRegexp,
				Subject: tf.identity, SubjectRegexp: tf.identityRegexp}})
			if err != nil {
				return p, usageErr("keyless: %v", err)
			}
			p.Keyless = kl
		}
		return p, nil
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
			return p, usageErr("trust.keys.%s: %v", l, err)
		}
		p.Keys = append(p.Keys, k)
	}
	if root := cfg.TrustedRootPath(); root != "" {
		var ids []trust.Identity
		for _, id := range cfg.Trust.Identities {
			ids = append(ids, trust.Identity{Issuer: id.Issuer, IssuerRegexp: id.IssuerRegexp, Subject: id.Subject, SubjectRegexp: id.SubjectRegexp})
		}
		kl, err := trust.LoadKeyless(root, ids)
		if err != nil {
			return p, usageErr("trust.trusted-root: %v", err)
		}
		p.Keyless = kl
	}
	if p.Empty() {
		return p, usageErr("no public key or keyless identity to verify under: give --key cosign.pub, or --trusted-root with --certificate-identity and " +
			"--certificate-oidc-issuer, or list trust.keys or trust.trusted-root and trust.identities in .shipshape.yaml")
	}
	return p, nil
}

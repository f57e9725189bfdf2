package dockerfile

import (
	"fmt"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// DF1400 reports ARG and ENV names that say they hold a secret
// (DB_PASSWORD, DB_PWD, GITHUB_TOKEN, API_KEY, SSH_KEY, ...), like
// BuildKit's SecretsUsedInArgOrEnv. ENV values are stored in the image
// configuration and ARG values in its build history, so a secret passed
// that way can be read by anyone who can pull the image. Whether a name is
// a secret's is secrets.Name, the verdict the compose and image rules give
// the same name; names of public data (PUBLIC_KEY, GPG_KEY fingerprints)
// and of settings about a secret (PASSWORD_FILE) are not reported. An ENV
// whose value shows it holds no secret (a file path, a placeholder, a
// switch) is not reported either, since the configuration then holds
// none; an ARG is, unless its default is a file path, since the value
// that matters arrives with --build-arg. A name that ends in a bare KEY or
// AUTH without a word that makes it a credential (CACHE_KEY, PRIMARY_KEY,
// NODE_AUTH, unlike API_KEY or SSH_KEY) is as often a lookup key or a
// method: it is reported only with a value that looks like a credential
// (secrets.StrongName, secrets.ClassifyValue).
var DF1400 = &rule.Rule{
	ID:       "DF1400",
	Slug:     "secret-name-in-arg-env",
	Title:    "ARG or ENV name suggests a secret",
	Severity: rule.High,
	Category: rule.CatSecrets,
	Rationale: "ENV values are written into the image configuration and every container inherits them; ARG values are " +
		"recorded in the build history of each layer whose RUN uses them (`docker history --no-trunc` shows them) and " +
		"in the build cache. A password, token or key passed either way is readable by anyone who can pull the image " +
		"or reach the cache. BuildKit secret mounts expose the value to a single RUN as a file or variable and never " +
		"store it in a layer or in metadata.",
	Fix: "Pass the secret with `docker build --secret id=NAME,env=NAME` and read it in the one RUN that needs it via " +
		"`RUN --mount=type=secret,id=NAME,env=NAME ...`; supply runtime secrets when the container starts, not in ENV.",
	Bad:   "FROM node:22-slim\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci",
	Good:  "# syntax=docker/dockerfile:1\nFROM node:22-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3064"}, {Tool: "buildkit", ID: "SecretsUsedInArgOrEnv"}, {Tool: "trivy", ID: "DS-0031"}, {Tool: "cis-docker-1.6.0", ID: "4.10"}},
	References: []string{
		"https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
		"https://docs.docker.com/build/building/secrets/",
	},
	Settings: []rule.Setting{{
		Name: "ignore-names", Type: "strings", Default: []string{},
		Doc: "ARG/ENV names (case-insensitive, glob patterns allowed) that are known not to hold secrets.",
	}},
	Check: checkSecretNameInArgEnv,
}

func checkSecretNameInArgEnv(p *rule.Pass) error {
	for _, in := range fileOf(p).Instructions {
		var names []string
		switch c := in.Command.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				switch {
				case kv.Value == nil:
					if secrets.StrongName(kv.Key) {
						names = append(names, kv.Key)
					}
				case !stsArgHoldsNoSecret(kv.Key, *kv.Value):
					names = append(names, kv.Key)
				}
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				if !stsEnvHoldsNoSecret(kv.Key, kv.Value) {
					names = append(names, kv.Key)
				}
			}
		default:
			continue
		}
		for _, n := range names {
			if !secrets.Name(n) || settingLists(p, "ignore-names", n) {
				continue
			}
			p.Report(rule.Finding{
				Message: fmt.Sprintf("%s %s looks like a secret: %s; pass it with RUN --mount=type=secret instead",
					in.Keyword, n, stsWhereStored(in)),
				Location: rule.Location{Range: in.LocateKey(n)},
				Fixes:    secretMountFix(fileOf(p), in, n),
			})
		}
	}
	return nil
}

// stsArgHoldsNoSecret reports an ARG default that shows the argument
// names where a secret is kept rather than carrying one (ARG
// SSL_KEY=/etc/ssl/private/server.key). Any other default of a strong
// secret name, a placeholder included, is replaced with `--build-arg` at
// build time, and that value is what the history records; a weak name
// (CACHE_KEY=tenant) needs a default that looks like a credential.
func stsArgHoldsNoSecret(name, value string) bool {
	c := secrets.ClassifyValue(name, value)
	if !secrets.StrongName(name) {
		return c != secrets.Literal
	}
	return c == secrets.Reference
}

// stsEnvHoldsNoSecret reports an ENV value that is no secret, so that the
// image configuration does not hold one: a reference to a file or secret
// store, a placeholder, a switch, a fingerprint. It is the verdict the
// compose and image rules give the same value. An empty value and a
// variable (ENV DB_PASSWORD=${DB_PASSWORD}, which bakes a build argument
// into the configuration) are reported.
func stsEnvHoldsNoSecret(name, value string) bool {
	switch secrets.ClassifyValue(name, value) {
	case secrets.Literal:
		return false
	case secrets.Empty, secrets.Variable:
		// A weak name's empty or variable value shows nothing.
		return !secrets.StrongName(name)
	}
	return true
}

// stsWhereStored says where an ARG or ENV value is kept.
func stsWhereStored(in *df.Instruction) string {
	if in.Keyword == "ENV" {
		return "ENV values are stored in the image configuration"
	}
	return "ARG values are recorded in the build history and cache"
}

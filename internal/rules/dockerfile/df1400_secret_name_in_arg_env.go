package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1400 reports ARG and ENV names that say they hold a secret
// (DB_PASSWORD, GITHUB_TOKEN, API_KEY, ...), following BuildKit's
// SecretsUsedInArgOrEnv: the last word of the name is a secret word and no
// word is "public". ENV values are stored in the image configuration and ARG
// values in its build history, so a secret passed that way can be read by
// anyone who can pull the image. Names with a gpg/pgp word (key
// fingerprints, which are public) are not reported.
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

// stsSecretWords are the words that make a variable name look like a
// secret when they end it. The list is BuildKit's, plus passphrase.
var stsSecretWords = map[string]bool{
	"apikey": true, "auth": true, "credential": true, "credentials": true, "key": true, "password": true,
	"pword": true, "passwd": true, "secret": true, "token": true, "passphrase": true,
}

// stsPublicWords in a name say the value is not secret.
var stsPublicWords = map[string]bool{"public": true, "gpg": true, "pgp": true, "gnupg": true}

var stsCamel = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// stsNameWords splits a variable name into lower-case words at
// underscores, dashes, dots and camelCase boundaries.
func stsNameWords(name string) []string {
	name = stsCamel.ReplaceAllString(name, "${1}_${2}")
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' || r == '.' })
}

// stsSecretName reports whether a variable name suggests a secret.
func stsSecretName(name string) bool {
	w := stsNameWords(name)
	if len(w) == 0 || !stsSecretWords[w[len(w)-1]] {
		return false
	}
	for _, x := range w {
		if stsPublicWords[x] {
			return false
		}
	}
	return true
}

func checkSecretNameInArgEnv(p *rule.Pass) error {
	for _, in := range fileOf(p).Instructions {
		var names []string
		switch c := in.Command.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				names = append(names, kv.Key)
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				names = append(names, kv.Key)
			}
		default:
			continue
		}
		for _, n := range names {
			if !stsSecretName(n) || stsIgnored(p, "ignore-names", n) {
				continue
			}
			p.Reportf(stsLocateName(fileOf(p), in, n), "%s %s looks like a secret: %s; pass it with RUN --mount=type=secret instead",
				in.Keyword, n, stsWhereStored(in))
		}
	}
	return nil
}

// stsWhereStored says where an ARG or ENV value is kept.
func stsWhereStored(in *df.Instruction) string {
	if in.Keyword == "ENV" {
		return "ENV values are stored in the image configuration"
	}
	return "ARG values are recorded in the build history and cache"
}

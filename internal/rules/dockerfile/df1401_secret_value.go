package dockerfile

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// DF1401 reports secrets written into the Dockerfile itself: private keys,
// provider tokens with a recognisable shape (AWS, GitHub, GitLab, Slack,
// Stripe, npm, PyPI, Google, ...), passwords inside URLs, password options
// given a literal on a RUN command line, and literal values given to
// ARG/ENV/LABEL names that say they are secrets. What counts as a secret is
// internal/secrets' verdict (secrets.Pair, Tokens, ClassifyValue), the one
// the compose rule RT1029, the image rules IM1002/IM1100 and the layer
// scanner give the same name and value; placeholders, variable and file
// references and the vendors' documented example keys are skipped
// everywhere alike. The secret is masked in the message the way every
// rule masks it (secrets.Mask).
var DF1401 = &rule.Rule{
	ID:       "DF1401",
	Slug:     "secret-value",
	Title:    "Secret-looking value written in the Dockerfile",
	Severity: rule.Critical,
	Category: rule.CatSecrets,
	Rationale: "A credential written in a Dockerfile is committed to version control, copied into every clone and CI log, " +
		"and baked into the image: ENV and LABEL values sit in its configuration, RUN command lines in its history, " +
		"and files in its layers, where deleting them later does not help. Anyone who can read the repository or pull " +
		"the image can use the credential until it is revoked. Secrets belong in a secret store and reach the build " +
		"only through secret mounts.",
	Fix: "Revoke and rotate the exposed credential, then remove it from the Dockerfile and its history. " +
		"Pass build-time secrets with `RUN --mount=type=secret` and runtime secrets through the orchestrator's secret mechanism.",
	Bad:   "FROM alpine:3.20\nENV GITHUB_TOKEN=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\nRUN git clone https://ci:s3cr3tPassw0rd@git.example.com/app.git",
	Good:  "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \\\n    git clone https://x-access-token:${GITHUB_TOKEN}@github.com/org/app.git",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.10"}},
	References: []string{
		"https://docs.docker.com/build/building/secrets/",
		"https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
		"https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/",
	},
	Subsumes: []rule.Subsumption{{IDs: []string{"DF1400"}, Same: rule.SameLine}},
	Check:    checkSecretValue,
}

// stsSecret is one secret found in a Dockerfile. Kind is the phrase that
// follows the instruction keyword in the message, Value the secret as
// written (to point at it), Masked what the message shows.
type stsSecret struct {
	Kind, Value, Masked string
	// Key is the ARG or ENV variable that holds the secret, "" elsewhere
	// (set by stsKeyed).
	Key string
}

// stsNew is a secret found outside an ARG or ENV.
func stsNew(kind, value, masked string) stsSecret {
	return stsSecret{Kind: kind, Value: value, Masked: masked}
}

// stsFound turns classifier findings over text into secrets: Describe
// names the kind, and a secret-named variable's value is "a value for"
// the name.
func stsFound(name, text string, fs ...secrets.Finding) []stsSecret {
	var out []stsSecret
	for _, f := range fs {
		kind := "contains " + secrets.Describe(f.Kind)
		if f.Kind == "secret-named-variable" {
			kind = "hard-codes a value for " + name
		}
		// A multi-line credential (a PEM block) is pointed at by its first line.
		v, _, _ := strings.Cut(text[f.Start:f.End], "\n")
		out = append(out, stsNew(kind, v, f.Match))
	}
	return out
}

// stsScanTokens finds the credentials recognisable by their shape, and
// passwords in URLs, in one word or value.
func stsScanTokens(s string) []stsSecret {
	return stsFound("", s, append(secrets.Tokens(s), secrets.URLPasswords(s)...)...)
}

// stsAssignedSecret judges a NAME=value pair with secrets.Pair: a token in
// the value, an AWS secret access key, or a literal given to a secret-named
// variable.
func stsAssignedSecret(name, value string) (stsSecret, bool) {
	f, ok := secrets.Pair(name, value)
	if !ok {
		return stsSecret{}, false
	}
	return stsFound(name, value, f)[0], true
}

// stsPairSecrets is every secret of a NAME=value pair: all the tokens and
// URL passwords in the value, else the pair's verdict.
func stsPairSecrets(name, value string) []stsSecret {
	if out := stsScanTokens(value); len(out) > 0 {
		return out
	}
	if s, ok := stsAssignedSecret(name, value); ok {
		return []stsSecret{s}
	}
	return nil
}

// stsLiteral reports a value given to a password option that is a literal
// credential, not a variable, file, placeholder or switch.
func stsLiteral(v string) bool { return secrets.ClassifyValue("", v) == secrets.Literal }

// stsMySQLClients take the password glued to -p.
var stsMySQLClients = map[string]bool{
	"mysql": true, "mysqladmin": true, "mysqldump": true, "mysqlimport": true, "mysqlshow": true, "mysqlcheck": true,
	"mariadb": true, "mariadb-dump": true, "mariadb-admin": true, "mariadb-import": true, "mariadb-check": true,
}

// stsPasswordFlag matches long options that take a password or token.
var stsPasswordFlag = regexp.MustCompile(`^--?[a-z0-9-]*(password|passwd|passphrase|secret|token|api-key|apikey|access-key|secret-key)$`)

// stsKeyName accepts a clean variable-like key in a NAME=value argument,
// after an npmrc-style `//registry/:` prefix.
var stsKeyName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// stsCommandSecrets finds the secrets of one RUN command that take its
// structure to see: literal password options, NAME=value assignments and
// arguments, `aws configure set`.
func stsCommandSecrets(c *df.Cmd) []stsSecret {
	var out []stsSecret
	for k, v := range c.Assigns {
		out = append(out, stsPairSecrets(k, v)...)
	}
	for i, a := range c.Args {
		next := ""
		if i+1 < len(c.Args) {
			next = c.Args[i+1]
		}
		switch {
		case stsMySQLClients[c.Name] && strings.HasPrefix(a, "-p") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			if stsLiteral(a[2:]) {
				out = append(out, stsNew("passes a literal password to "+c.Name+" -p", a[2:], secrets.Mask(a[2:])))
			}
		case (c.Name == "sshpass" || c.Name == "docker" || c.Name == "podman" || c.Name == "buildah" || c.Name == "skopeo") && a == "-p":
			if next != "" && !strings.HasPrefix(next, "-") && stsLiteral(next) {
				out = append(out, stsNew("passes a literal password to "+c.Name+" -p", next, secrets.Mask(next)))
			}
		case (c.Name == "curl" || c.Name == "wget") && (a == "-u" || a == "--user" || strings.HasPrefix(a, "--user=")):
			cred := next
			if strings.HasPrefix(a, "--user=") {
				cred = strings.TrimPrefix(a, "--user=")
			}
			if _, pw, ok := strings.Cut(cred, ":"); ok && stsLiteral(pw) {
				out = append(out, stsNew("passes a literal password to "+c.Name+" "+strings.SplitN(a, "=", 2)[0], pw, secrets.Mask(pw)))
			}
		case strings.HasPrefix(a, "-"):
			flag, val, eq := strings.Cut(a, "=")
			lf := strings.ToLower(flag)
			// Keyword prefilter: the regexp below is only worth running on
			// flags that mention a credential at all.
			if !strings.Contains(lf, "pass") && !strings.Contains(lf, "secret") && !strings.Contains(lf, "token") && !strings.Contains(lf, "key") {
				continue
			}
			// The option's name is judged like a variable's (secrets.Name),
			// which keeps switches such as --disabled-password out.
			if !stsPasswordFlag.MatchString(lf) || !secrets.Name(flag) || strings.HasPrefix(flag, "--with-") {
				continue
			}
			if !eq {
				if next == "" || strings.HasPrefix(next, "-") {
					continue
				}
				val = next
			}
			// BuildKit-style `--secret id=x,src=path` names a secret, it is not one.
			if stsLiteral(val) && !strings.Contains(val, "id=") && !strings.Contains(val, "src=") {
				out = append(out, stsNew("passes a literal secret to "+flag, val, secrets.Mask(val)))
			}
		case strings.Contains(a, "="):
			k, v, _ := strings.Cut(a, "=")
			if i := strings.LastIndexAny(k, ":/"); i >= 0 && strings.HasPrefix(k, "//") {
				k = k[i+1:]
			}
			if stsKeyName.MatchString(k) {
				out = append(out, stsPairSecrets(k, v)...)
			}
		}
	}
	// `aws configure set aws_secret_access_key VALUE`
	if c.Name == "aws" && c.Sub() == "configure" {
		pos := c.Positionals()
		for i := 0; i+1 < len(pos); i++ {
			if s, ok := stsAssignedSecret(pos[i], pos[i+1]); ok && strings.Contains(s.Kind, "AWS") {
				out = append(out, s)
			}
		}
	}
	return out
}

func checkSecretValue(p *rule.Pass) error {
	for _, in := range fileOf(p).Instructions {
		var found []stsSecret
		switch c := in.Command.(type) {
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				if kv.Value != nil {
					found = append(found, stsKeyed(kv.Key, stsPairSecrets(kv.Key, *kv.Value))...)
				}
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				found = append(found, stsKeyed(kv.Key, stsPairSecrets(kv.Key, kv.Value))...)
			}
		case *instructions.LabelCommand:
			for _, kv := range c.Labels {
				found = append(found, stsPairSecrets(kv.Key, kv.Value)...)
			}
		case *instructions.RunCommand:
			// Tokens are read from the command as written: the shell
			// model unescapes words, and a key pasted with \n escapes is
			// recognisable only before that.
			for _, a := range in.Args {
				found = append(found, stsScanTokens(a)...)
			}
			if in.Script != nil {
				for _, cmd := range in.Script.Commands {
					found = append(found, stsCommandSecrets(cmd)...)
				}
			}
			if in.Script != nil {
				for _, h := range in.Script.Heredocs {
					found = append(found, stsScanTokens(h.Content)...)
				}
			}
		default:
			for _, a := range in.Args {
				found = append(found, stsScanTokens(a)...)
			}
			if in.Node != nil {
				for _, h := range in.Node.Heredocs {
					found = append(found, stsScanTokens(h.Content)...)
				}
			}
		}
		seen := map[string]bool{}
		for _, s := range found {
			if seen[s.Value] {
				continue
			}
			seen[s.Value] = true
			var fixes []rule.Fix
			if s.Key != "" {
				fixes = secretMountFix(fileOf(p), in, s.Key)
			}
			p.Report(rule.Finding{
				Message:  fmt.Sprintf("%s %s (%s)", in.Keyword, s.Kind, s.Masked),
				Location: rule.Location{Range: in.Locate(s.Value)},
				Fixes:    fixes,
			})
		}
	}
	return nil
}

// stsKeyed records the ARG or ENV variable that holds each secret.
func stsKeyed(key string, ss []stsSecret) []stsSecret {
	for i := range ss {
		ss[i].Key = key
	}
	return ss
}

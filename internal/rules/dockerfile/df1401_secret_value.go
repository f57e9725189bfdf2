package dockerfile

import (
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1401 reports secrets written into the Dockerfile itself: private key
// blocks, provider tokens with a recognisable shape (AWS, GitHub, GitLab,
// Slack, Stripe, npm, PyPI, Google, ...), passwords inside URLs, password
// options given a literal on a RUN command line, and literal values given
// to ARG/ENV/LABEL names that say they are secrets. Placeholders, variable
// references and the vendors' documented example keys are skipped. The
// secret is masked in the message.
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
	Check: checkSecretValue,
}

// stsTokenPattern is one recognisable credential format. Prefix is a cheap
// substring test run before the regular expression.
type stsTokenPattern struct {
	Kind   string
	Prefix []string
	Re     *regexp.Regexp
}

var stsTokenPatterns = []stsTokenPattern{
	{"private key", []string{"PRIVATE KEY"}, regexp.MustCompile(`-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----`)},
	{"PuTTY private key", []string{"PuTTY-User-Key-File"}, regexp.MustCompile(`PuTTY-User-Key-File-\d+`)},
	{"AWS access key id", []string{"AKIA", "ASIA", "A3T", "ABIA", "ACCA"}, regexp.MustCompile(`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`)},
	{"GitHub token", []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{36,251}\b`)},
	{"GitHub token", []string{"github_pat_"}, regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{50,}`)},
	{"GitLab token", []string{"glpat-"}, regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}`)},
	{"Slack token", []string{"xox"}, regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
	{"Slack webhook", []string{"hooks.slack.com"}, regexp.MustCompile(`https://hooks\.slack\.com/services/T[A-Za-z0-9_]{8,}/B[A-Za-z0-9_]{8,}/[A-Za-z0-9_]{24}`)},
	{"Stripe key", []string{"_live_"}, regexp.MustCompile(`\b[sr]k_live_[0-9a-zA-Z]{24,}`)},
	{"npm token", []string{"npm_"}, regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`)},
	{"PyPI token", []string{"pypi-AgEIcHlwaS5vcmc"}, regexp.MustCompile(`pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}`)},
	{"Google API key", []string{"AIza"}, regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`)},
	{"Google OAuth token", []string{"ya29."}, regexp.MustCompile(`\bya29\.[0-9A-Za-z_-]{20,}`)},
	{"SendGrid key", []string{"SG."}, regexp.MustCompile(`\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b`)},
	{"Square token", []string{"sq0atp-", "sq0csp-"}, regexp.MustCompile(`\bsq0(?:atp-[0-9A-Za-z_-]{22}|csp-[0-9A-Za-z_-]{43})`)},
	{"Amazon MWS token", []string{"amzn.mws."}, regexp.MustCompile(`amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)},
	{"Mailchimp key", []string{"-us"}, regexp.MustCompile(`\b[0-9a-f]{32}-us[0-9]{1,2}\b`)},
	{"Hugging Face token", []string{"hf_"}, regexp.MustCompile(`\bhf_[A-Za-z0-9]{34,}\b`)},
	{"OpenAI key", []string{"sk-"}, regexp.MustCompile(`\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-proj-[A-Za-z0-9_-]{40,}`)},
	{"Anthropic key", []string{"sk-ant-"}, regexp.MustCompile(`\bsk-ant-[a-z0-9]+-[A-Za-z0-9_-]{60,}`)},
	{"DigitalOcean token", []string{"dop_v1_"}, regexp.MustCompile(`\bdo[por]_v1_[a-f0-9]{64}\b`)},
}

// stsURLCreds matches scheme://user:password@host.
var stsURLCreds = regexp.MustCompile(`\b[a-zA-Z][a-zA-Z0-9+.-]{1,15}://([^/\s:@'"]*):([^/\s@'"]+)@[^/\s'"@]+`)

// stsAWSSecret is the shape of an AWS secret access key.
var stsAWSSecret = regexp.MustCompile(`^[A-Za-z0-9/+=]{40}$`)

// stsPlaceholderWords are values that stand for a secret rather than being
// one.
var stsPlaceholderWords = map[string]bool{
	"changeme": true, "change-me": true, "change_me": true, "changeit": true, "password": true, "passwd": true,
	"secret": true, "token": true, "pass": true, "null": true, "none": true, "nil": true, "true": true,
	"false": true, "yes": true, "no": true, "example": true, "sample": true, "dummy": true, "placeholder": true,
	"redacted": true, "undefined": true, "empty": true, "default": true, "todo": true, "fixme": true,
	"unset": true, "disabled": true, "enabled": true, "required": true, "optional": true, "off": true, "on": true,
}

// stsRepeatedChar reports a value made of one character repeated (xxxx).
func stsRepeatedChar(v string) bool {
	for i := 1; i < len(v); i++ {
		if v[i] != v[0] {
			return false
		}
	}
	return true
}

// stsPlaceholder reports a value that is not a real secret: empty or
// short, a variable reference or template, a file path, a documented
// example, or an obvious stand-in.
func stsPlaceholder(v string) bool {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	l := strings.ToLower(v)
	switch {
	case len(v) < 4:
		return true
	case strings.ContainsAny(v, "$`") || strings.Contains(v, "{{") || strings.Contains(v, "%(") ||
		(strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">")) || (strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]")):
		return true
	case strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") || strings.HasPrefix(l, "file:"):
		return true
	case stsPlaceholderWords[l] || stsRepeatedChar(v):
		return true
	case strings.Contains(l, "example") || strings.Contains(l, "changeme") || strings.Contains(l, "placeholder") ||
		strings.Contains(l, "dummy") || strings.Contains(l, "insecure") || strings.HasPrefix(l, "fake") ||
		strings.HasPrefix(l, "your") || strings.HasPrefix(l, "my-") || strings.HasPrefix(l, "my_") ||
		strings.Contains(l, "replace") || strings.Contains(l, "xxxx") || strings.Contains(l, "****") || strings.Contains(l, "..."):
		return true
	}
	return false
}

// stsSecret is one secret found in a value. Kind is the phrase that
// follows the instruction keyword in the message.
type stsSecret struct {
	Kind  string
	Value string
}

// stsScanTokens finds recognisable credential formats in one value.
func stsScanTokens(s string) []stsSecret {
	var out []stsSecret
	for _, tp := range stsTokenPatterns {
		hit := false
		for _, pre := range tp.Prefix {
			if strings.Contains(s, pre) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, m := range tp.Re.FindAllString(s, -1) {
			if strings.Contains(strings.ToUpper(m), "EXAMPLE") {
				continue
			}
			out = append(out, stsSecret{"contains " + stsArticle(tp.Kind) + " " + tp.Kind, m})
		}
	}
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		for _, m := range stsURLCreds.FindAllStringSubmatch(s, -1) {
			if !stsPlaceholder(m[2]) && !strings.EqualFold(m[2], m[1]) {
				out = append(out, stsSecret{"contains a password in a URL", m[2]})
			}
		}
	}
	return out
}

// stsArticle returns "a" or "an" for a noun phrase.
func stsArticle(kind string) string {
	if strings.HasPrefix(kind, "npm") || strings.ContainsAny(kind[:1], "AEIOUaeiou") {
		return "an"
	}
	return "a"
}

// stsAssignedSecret judges a NAME=value pair: a literal given to a
// secret-named variable, or an AWS secret access key.
func stsAssignedSecret(name, value string) (stsSecret, bool) {
	v := strings.Trim(strings.TrimSpace(value), `"'`)
	if strings.EqualFold(name, "AWS_SECRET_ACCESS_KEY") || strings.EqualFold(name, "aws_secret_access_key") {
		if stsAWSSecret.MatchString(v) && !strings.Contains(strings.ToUpper(v), "EXAMPLE") {
			return stsSecret{"contains an AWS secret access key", v}, true
		}
		return stsSecret{}, false
	}
	words := stsNameWords(name)
	if len(words) == 0 {
		// A name of separators only (`ENV . 0`) names nothing.
		return stsSecret{}, false
	}
	if len(words) == 1 && words[0] == "key" {
		// A bare KEY is as often a lookup key or a GPG fingerprint as a
		// secret.
		return stsSecret{}, false
	}
	if words[len(words)-1] == "key" && (stsHexDigest.MatchString(v) || stsPlainWord.MatchString(v)) {
		// Fingerprints and configuration words (Filters__0__Key=ProcessName)
		// are not keys in the secret sense.
		return stsSecret{}, false
	}
	if stsSecretName(name) && !stsPlaceholder(v) && !strings.ContainsAny(v, " \t\n") {
		return stsSecret{"hard-codes a value for " + name, v}, true
	}
	return stsSecret{}, false
}

var (
	stsHexDigest = regexp.MustCompile(`^(0x)?[0-9A-Fa-f]{16}$|^(0x)?[0-9A-Fa-f]{32}$|^(0x)?[0-9A-Fa-f]{40}$|^(0x)?[0-9A-Fa-f]{64}$`)
	stsPlainWord = regexp.MustCompile(`^[A-Za-z]+$`)
)

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

// stsCommandSecrets finds secrets on one RUN command line.
func stsCommandSecrets(c *df.Cmd) []stsSecret {
	var out []stsSecret
	for k, v := range c.Assigns {
		out = append(out, stsScanTokens(v)...)
		if s, ok := stsAssignedSecret(k, v); ok {
			out = append(out, s)
		}
	}
	for i, a := range c.Args {
		out = append(out, stsScanTokens(a)...)
		next := ""
		if i+1 < len(c.Args) {
			next = c.Args[i+1]
		}
		switch {
		case stsMySQLClients[c.Name] && strings.HasPrefix(a, "-p") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			if !stsPlaceholder(a[2:]) {
				out = append(out, stsSecret{"passes a literal password to " + c.Name + " -p", a[2:]})
			}
		case (c.Name == "sshpass" || c.Name == "docker" || c.Name == "podman" || c.Name == "buildah" || c.Name == "skopeo") && a == "-p":
			if next != "" && !strings.HasPrefix(next, "-") && !stsPlaceholder(next) {
				out = append(out, stsSecret{"passes a literal password to " + c.Name + " -p", next})
			}
		case (c.Name == "curl" || c.Name == "wget") && (a == "-u" || a == "--user" || strings.HasPrefix(a, "--user=")):
			cred := next
			if strings.HasPrefix(a, "--user=") {
				cred = strings.TrimPrefix(a, "--user=")
			}
			if _, pw, ok := strings.Cut(cred, ":"); ok && !stsPlaceholder(pw) {
				out = append(out, stsSecret{"passes a literal password to " + c.Name + " " + strings.SplitN(a, "=", 2)[0], pw})
			}
		case strings.HasPrefix(a, "-"):
			flag, val, eq := strings.Cut(a, "=")
			lf := strings.ToLower(flag)
			// Keyword prefilter: the regexp below is only worth running on
			// flags that mention a credential at all.
			if !strings.Contains(lf, "pass") && !strings.Contains(lf, "secret") && !strings.Contains(lf, "token") && !strings.Contains(lf, "key") {
				continue
			}
			if !stsPasswordFlag.MatchString(lf) || strings.HasPrefix(flag, "--no-") || strings.HasPrefix(flag, "--with-") {
				continue
			}
			if !eq {
				if next == "" || strings.HasPrefix(next, "-") {
					continue
				}
				val = next
			}
			// BuildKit-style `--secret id=x,src=path` names a secret, it is not one.
			if !stsPlaceholder(val) && !strings.ContainsAny(val, " \t") && !strings.Contains(val, "id=") && !strings.Contains(val, "src=") {
				out = append(out, stsSecret{"passes a literal secret to " + flag, val})
			}
		case strings.Contains(a, "="):
			k, v, _ := strings.Cut(a, "=")
			if i := strings.LastIndexAny(k, ":/"); i >= 0 && strings.HasPrefix(k, "//") {
				k = k[i+1:]
			}
			if stsKeyName.MatchString(k) {
				if s, ok := stsAssignedSecret(k, v); ok {
					out = append(out, s)
				}
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
					found = append(found, stsScanTokens(*kv.Value)...)
					if s, ok := stsAssignedSecret(kv.Key, *kv.Value); ok {
						found = append(found, s)
					}
				}
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				found = append(found, stsScanTokens(kv.Value)...)
				if s, ok := stsAssignedSecret(kv.Key, kv.Value); ok {
					found = append(found, s)
				}
			}
		case *instructions.LabelCommand:
			for _, kv := range c.Labels {
				found = append(found, stsScanTokens(kv.Value)...)
				if s, ok := stsAssignedSecret(kv.Key, kv.Value); ok {
					found = append(found, s)
				}
			}
		case *instructions.RunCommand:
			if in.Script != nil && len(in.Script.Commands) > 0 {
				for _, cmd := range in.Script.Commands {
					found = append(found, stsCommandSecrets(cmd)...)
				}
			} else {
				for _, a := range in.Args {
					found = append(found, stsScanTokens(a)...)
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
			p.Reportf(stsLocate(fileOf(p), in, s.Value), "%s %s (%s)", in.Keyword, s.Kind, stsMask(s.Value))
		}
	}
	return nil
}

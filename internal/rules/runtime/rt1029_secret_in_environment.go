package runtime

import (
	"regexp"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1029 reports secrets written as literal values in a container's
// environment.
var RT1029 = &rule.Rule{
	ID:       "RT1029",
	Slug:     "secret-in-environment",
	Title:    "Secret written literally in the environment",
	Severity: rule.High,
	Category: rule.CatSecrets,
	Rationale: "A password, token or key written into `environment:` is committed with the compose file, copied into every " +
		"clone and CI log, and readable by anyone who can run `docker inspect` or read /proc/<pid>/environ; child processes " +
		"and crash reporters inherit it too. Compose secrets are mounted as files under /run/secrets, are not part of the " +
		"container's configuration, and most official images read them through a `*_FILE` variable.",
	Fix: "Move the value into a compose `secrets:` entry (a file kept out of version control) and point the image at it, " +
		"e.g. `POSTGRES_PASSWORD_FILE: /run/secrets/db_password`; at least interpolate it from the environment (`${DB_PASSWORD}`).",
	Bad:  "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example",
	Good: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]\nsecrets:\n  db_password:\n    file: ./secrets/db_password.txt",
	References: []string{
		"https://docs.docker.com/compose/how-tos/use-secrets/",
		"https://docs.docker.com/reference/compose-file/secrets/",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, e := range s.Env {
				if e.FromFile || !e.Literal || e.Value == "" {
					continue
				}
				pos := orSelf(s, e.Where)
				if e.Where.Range.Line == 0 {
					pos = at(s, container.KeyEnvironment)
				}
				if secretName(e.Name) && secretValue(e.Value) {
					report(p, pos, 0, "%s sets %s to a literal value; use a compose secret (%s_FILE=/run/secrets/...) or interpolate it",
						who(s), e.Name, e.Name)
					continue
				}
				if m := reURLCreds.FindStringSubmatch(e.Value); m != nil && !strings.Contains(m[2], "$") {
					report(p, pos, 0, "%s puts a literal password in the connection string %s; keep it in a compose secret",
						who(s), e.Name)
				}
			}
		}
		return nil
	},
}

// reURLCreds matches a URL with a user and a non-empty password.
var reURLCreds = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://([^:/@\s]*):([^@/\s]+)@`)

// secretWords are name parts that mark a secret wherever they occur in a
// token; secretTokens only as a whole token.
var (
	secretWords  = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIAL", "PRIVATEKEY"}
	secretTokens = map[string]bool{"PASS": true, "PWD": true, "KEY": true, "SALT": true, "DSN": true, "PSK": true}
	// notSecretLast are last name parts that make the variable a setting
	// about a secret rather than the secret itself.
	notSecretLast = map[string]bool{
		"FILE": true, "PATH": true, "DIR": true, "ID": true, "NAME": true, "USER": true, "USERNAME": true, "LENGTH": true,
		"MIN": true, "MAX": true, "TTL": true, "EXPIRY": true, "EXPIRES": true, "EXPIRATION": true, "TIMEOUT": true,
		"ENABLED": true, "ENABLE": true, "REQUIRED": true, "POLICY": true, "TYPE": true, "MODE": true, "HEADER": true,
		"FIELD": true, "ALGORITHM": true, "ALG": true, "PREFIX": true, "HOST": true, "PORT": true, "REGION": true,
		"SIZE": true, "LIFETIME": true, "FORMAT": true, "VERSION": true, "URL": true, "URI": true, "ENDPOINT": true,
		"ROTATION": true, "HASH": true, "HASHING": true, "SCHEME": true, "STRENGTH": true, "COST": true, "ROUNDS": true,
	}
)

// secretName reports whether an environment variable's name says it holds
// a secret.
func secretName(name string) bool {
	n := strings.ToUpper(strings.TrimSpace(name))
	if n == "PWD" || n == "OLDPWD" {
		return false
	}
	toks := strings.FieldsFunc(n, func(r rune) bool { return r == '_' || r == '-' || r == '.' })
	if len(toks) == 0 || notSecretLast[toks[len(toks)-1]] {
		return false
	}
	joined := strings.Join(toks, "")
	for _, w := range secretWords {
		if strings.Contains(joined, w) {
			return true
		}
	}
	for _, t := range toks {
		if secretTokens[t] {
			return true
		}
	}
	return false
}

// secretValue reports whether a literal value can be a secret: not a
// flag, not a reference to a file or another variable.
func secretValue(v string) bool {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "", "true", "false", "yes", "no", "on", "off", "0", "1", "none", "null", "nil", "~":
		return false
	}
	if strings.Contains(v, "$") || (strings.HasPrefix(v, "/") && !strings.ContainsAny(v, " \t")) {
		return false
	}
	if looksLikeFilePath(v) {
		return false
	}
	return true
}

// keyFileExts are extensions of files that hold keys or certificates: a
// value naming such a file points at the secret instead of holding it.
var keyFileExts = []string{".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".keystore", ".json", ".txt", ".asc", ".gpg", ".pub"}

// looksLikeFilePath reports whether a value is a relative path or a file
// name such as `certs/es-key.pem`, `./secrets/db.txt` or `file:token.txt`.
func looksLikeFilePath(v string) bool {
	if strings.ContainsAny(v, " \t") {
		return false
	}
	lv := strings.ToLower(v)
	if strings.HasPrefix(lv, "./") || strings.HasPrefix(lv, "../") || strings.HasPrefix(lv, "~/") || strings.HasPrefix(lv, "file:") {
		return true
	}
	for _, ext := range keyFileExts {
		if strings.HasSuffix(lv, ext) && len(lv) > len(ext) {
			return true
		}
	}
	return false
}

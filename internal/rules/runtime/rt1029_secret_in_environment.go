package runtime

import (
	"fmt"
	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// RT1029 reports secrets written as literal values in a container's
// environment (compose environment:, docker run -e, an inspect document).
// Whether a name and value are a secret is internal/secrets' verdict, the
// one DF1400/DF1401 give an ENV and IM1002 an image's Env: a token or
// private key in the value whatever the name, a password in a URL, or a
// literal given to a secret-named variable (placeholders, switches, file
// and variable references excluded).
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
	Check: checkSecretInEnvironment,
}

func checkSecretInEnvironment(p *rule.Pass) error {
	for _, s := range specs(p) {
		for _, e := range s.Env {
			if e.FromFile {
				continue
			}
			msg, ok := envSecret(e)
			if !ok {
				continue
			}
			pos := orSelf(s, e.Where)
			if e.Where.Range.Line == 0 {
				pos = at(s, container.KeyEnvironment)
			}
			reportWithFixes(p, pos, 0, "", secretFix(p, s, e), "%s %s", who(s), msg)
		}
	}
	return nil
}

// envSecret judges one environment entry with the classifier the
// Dockerfile and image rules use (secrets.Pair): a literal value is judged
// whole; of a value interpolated from the user's environment only what is
// written in the file counts, a token or a URL password
// (postgres://${USER}:pw@db, ${TOKEN:-ghp_...}).
func envSecret(e container.EnvVar) (string, bool) {
	var f secrets.Finding
	var ok bool
	switch {
	case e.Literal && e.Value != "":
		f, ok = secrets.Pair(e.Name, e.Value)
	case !e.Literal && e.Raw != "":
		if fs := append(secrets.Tokens(e.Raw), secrets.URLPasswords(e.Raw)...); len(fs) > 0 {
			f, ok = fs[0], true
		}
	}
	if !ok {
		return "", false
	}
	switch f.Kind {
	case "secret-named-variable":
		return fmt.Sprintf("sets %s to a literal value; use a compose secret (%s_FILE=/run/secrets/...) or interpolate it", e.Name, e.Name), true
	case "url-password":
		return fmt.Sprintf("puts a literal password in the connection string %s; keep it in a compose secret", e.Name), true
	}
	return fmt.Sprintf("sets %s to %s (%s); keep it in a compose secret", e.Name, secrets.Describe(f.Kind), f.Match), true
}

// secretFix moves a literal secret out of the environment: a top-level
// compose secret read from secrets/NAME.txt beside the compose file (which
// the fix creates with the value), the service's secrets list, and the
// variable replaced by NAME_FILE=/run/secrets/NAME. Only images known to
// read NAME_FILE get it; anything else would lose the value. It is a
// review fix: the value now lives in a file that must be kept out of
// version control and shipped with the compose file.
func secretFix(p *rule.Pass, s *container.Spec, e container.EnvVar) []rule.Fix {
	name := strings.ToLower(e.Name)
	file := s.Self.File
	path := secretPath(file, name)
	img := officialImage(s.Image)
	title := fmt.Sprintf("move %s to the compose secret %s, read from %s_FILE; the value goes to %s (review: keep that file out of version control)",
		e.Name, name, e.Name, path)
	return composeFix(p, s, rule.FixReview, title, func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
		switch {
		case !e.Literal || e.FromFile:
			pl.Refuse("%s is not a literal value written in the compose file", e.Name)
		case s.Build || !slices.Contains(fileEnv[img], e.Name):
			pl.Refuse("the image of %s is not one shipshape knows to read %s_FILE; move the value to a secret by hand", who(s), e.Name)
		case pl.V1():
			pl.Refuse("a version 1 compose file has no secrets")
		case projectOf(p).Secrets[name]:
			pl.Refuse("a secret named %s exists already", name)
		}
		if pl.Err() != nil {
			return nil
		}
		svc.SetEnv(e.Name, e.Name+"_FILE", "/run/secrets/"+name)
		svc.AppendItems("secrets", name)
		rel := "./" + filepath.ToSlash(filepath.Join("secrets", name+".txt"))
		pl.AddTopEntry("secrets", name, []composeedit.KV{{Key: "file", Value: rel}})
		return []rule.Edit{{File: path, New: e.Value}}
	})
}

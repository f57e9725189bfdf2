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
	var found []envFinding
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
			found = append(found, envFinding{s: s, e: e, pos: pos, msg: msg})
		}
	}
	fixes := secretFixes(p, found)
	for i, f := range found {
		reportWithFixes(p, f.pos, 0, "", fixes[i], "%s %s", who(f.s), f.msg)
	}
	return nil
}

// envFinding is one secret found in a service's environment.
type envFinding struct {
	s   *container.Spec
	e   container.EnvVar
	pos container.Pos
	msg string
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

// secretFixes makes the fixes of a file's secrets: those of images known
// to read NAME_FILE are moved together, by one fix on the first of them
// (one fix, because each adds to the same top-level secrets section and
// perhaps the same service's secrets list); the others are refused with
// the reason.
//
// Moving a secret makes a top-level compose secret read from
// secrets/NAME.txt beside the compose file (which the fix creates with the
// value), adds it to the service's secrets, and replaces the variable with
// NAME_FILE=/run/secrets/NAME. It is a review fix: the value now lives in a
// file that must be kept out of version control and shipped with the
// compose file.
func secretFixes(p *rule.Pass, found []envFinding) [][]rule.Fix {
	out := make([][]rule.Fix, len(found))
	type move struct {
		i      int
		secret string
	}
	var moves []move
	used := map[string]bool{}
	for i, f := range found {
		why := secretRefusal(f)
		if why != "" {
			out[i] = composeFix(p, f.s, rule.FixReview, "move "+f.e.Name+" to a compose secret", func(pl *composeedit.Plan, _ *composeedit.Service) []rule.Edit {
				pl.Refuse("%s", why)
				return nil
			})
			continue
		}
		name := strings.ToLower(f.e.Name)
		if used[name] || projectOf(p).Secrets[name] {
			name = strings.ToLower(f.s.Name + "_" + f.e.Name)
		}
		used[name] = true
		moves = append(moves, move{i, name})
	}
	if len(moves) == 0 {
		return out
	}
	first := found[moves[0].i]
	var ss []*container.Spec
	var names []string
	for _, m := range moves {
		ss = append(ss, found[m.i].s)
		names = append(names, found[m.i].e.Name)
	}
	title := fmt.Sprintf("move %s to compose secrets read from NAME_FILE, with the values in %s (review: keep that directory out of version control)",
		strings.Join(names, ", "), filepath.Join(filepath.Dir(first.s.Self.File), "secrets"))
	out[moves[0].i] = composeFixAll(p, ss, rule.FixReview, title, func(pl *composeedit.Plan, svcs []*composeedit.Service) []rule.Edit {
		var created []rule.Edit
		var top []composeedit.KV
		perService := map[*composeedit.Service][]string{}
		var order []*composeedit.Service
		byName := map[string]*composeedit.Service{}
		for k, m := range moves {
			f := found[m.i]
			svc := byName[f.s.Name]
			if svc == nil {
				svc = svcs[k]
				byName[f.s.Name] = svc
				order = append(order, svc)
			}
			svc.SetEnv(f.e.Name, f.e.Name+"_FILE", "/run/secrets/"+m.secret)
			perService[svc] = append(perService[svc], m.secret)
			top = append(top, composeedit.KV{Key: m.secret, Value: []composeedit.KV{{Key: "file", Value: "./secrets/" + m.secret + ".txt"}}})
			created = append(created, rule.Edit{File: secretPath(f.s.Self.File, m.secret), New: f.e.Value})
		}
		for _, svc := range order {
			svc.AppendItems("secrets", perService[svc]...)
		}
		pl.AddTopEntries("secrets", top)
		return created
	})
	return out
}

// secretRefusal says why a secret cannot be moved by the fix, "" when it
// can.
func secretRefusal(f envFinding) string {
	switch {
	case !f.e.Literal:
		return f.e.Name + " is not a literal value written in the compose file"
	case f.s.Build || !slices.Contains(fileEnv[officialImage(f.s.Image)], f.e.Name):
		return fmt.Sprintf("the image of %s is not one shipshape knows to read %s_FILE; move the value to a secret by hand", who(f.s), f.e.Name)
	}
	return ""
}

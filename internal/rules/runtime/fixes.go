package runtime

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// composeFix makes the fix of a finding about compose service s: build
// plans edits of the file that defines s (and may return edits of new
// files, a secret moved out), and the plan is verified before it becomes
// the fix. A fix that cannot be made safely comes back with Refused set
// and no edits. It returns nil for containers that are not compose
// services (a docker run line, an inspected container): those have
// nothing to edit.
func composeFix(p *rule.Pass, s *container.Spec, level rule.FixLevel, title string,
	build func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit) []rule.Fix {
	return composeFixAll(p, []*container.Spec{s}, level, title, func(pl *composeedit.Plan, svcs []*composeedit.Service) []rule.Edit {
		return build(pl, svcs[0])
	})
}

// composeFixAll is composeFix for one fix that edits several services of
// one file (secrets of several services moved into one secrets section).
func composeFixAll(p *rule.Pass, ss []*container.Spec, level rule.FixLevel, title string,
	build func(pl *composeedit.Plan, svcs []*composeedit.Service) []rule.Edit) []rule.Fix {
	// Planning and verifying a fix parses the whole file twice; a lint
	// report never shows it.
	if len(ss) == 0 || ss[0].Source != container.SourceCompose || p.NoFixes {
		return nil
	}
	fx := rule.Fix{Title: title, Level: level}
	refuse := func(format string, args ...any) []rule.Fix {
		fx.Refused = fmt.Sprintf(format, args...)
		return []rule.Fix{fx}
	}
	proj := projectOf(p)
	file := ss[0].Self.File
	data, ok := proj.Sources[file]
	if !ok || file == "" || file == "-" {
		return refuse("service %q is defined in %s, which was included or extended rather than linted; fix it there", ss[0].Name, orStdin(file))
	}
	for _, s := range ss {
		if s.Self.File != file {
			return refuse("the services are defined in different files")
		}
		for other, od := range proj.Sources {
			if other == file {
				continue
			}
			if d, err := composeDoc(p, other, od); err == nil && d.HasService(s.Name) {
				return refuse("service %q is also defined in %s (an override merged into it); which file should hold the change is for you to choose", s.Name, other)
			}
		}
	}
	doc, err := composeDoc(p, file, data)
	if err != nil {
		return refuse("%v", err)
	}
	pl := doc.NewPlan()
	svcs := make([]*composeedit.Service, len(ss))
	for i, s := range ss {
		svcs[i] = pl.Service(s.Name)
	}
	var extra []rule.Edit
	if pl.Err() == nil {
		extra = build(pl, svcs)
	}
	es, err := pl.Edits()
	if err != nil {
		return refuse("%v", err)
	}
	for _, e := range es {
		fx.Edits = append(fx.Edits, rule.Edit{File: file, Start: e.Start, End: e.End, New: e.New})
	}
	fx.Edits = append(fx.Edits, extra...)
	return []rule.Fix{fx}
}

// composeDocKey keys a parsed compose file in the pass's memo.
type composeDocKey struct{ file string }

type composeDocResult struct {
	doc *composeedit.Doc
	err error
}

// composeDoc returns the compose file of the project parsed for editing,
// parsed once for all the fixes of one lint (a Doc serves any number of
// plans) rather than once per fix.
func composeDoc(p *rule.Pass, file string, data []byte) (*composeedit.Doc, error) {
	r := p.Memo.Get(composeDocKey{file}, func() any {
		d, err := composeedit.Parse(data)
		return composeDocResult{d, err}
	}).(composeDocResult)
	return r.doc, r.err
}

func orStdin(file string) string {
	if file == "" || file == "-" {
		return "standard input"
	}
	return file
}

// reportWithFixes is reportFix with the finding's fixes.
func reportWithFixes(p *rule.Pass, pos container.Pos, sev rule.Severity, remedy string, fixes []rule.Fix, format string, args ...any) {
	r := pos.Range
	if r.Line <= 0 {
		r.Line = 1
	}
	p.Report(rule.Finding{Severity: sev, Message: fmt.Sprintf(format, args...), Remedy: remedy,
		Location: rule.Location{File: pos.File, Range: r}, Fixes: fixes})
}

// officialImage returns the name of a Docker official image a reference
// names (nginx for nginx:1.27, library/nginx or docker.io/library/nginx),
// "" for anything else: the tables below describe those images only.
func officialImage(ref string) string {
	ref = strings.TrimSpace(ref)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "docker.io/"), "index.docker.io/")
	ref = strings.TrimPrefix(ref, "library/")
	if ref == "" || strings.ContainsAny(ref, "/$") {
		return ""
	}
	return ref
}

// imageCaps are the capabilities the entrypoints of well-known official
// images use when they start as root: they chown their data directory
// (CHOWN, FOWNER, DAC_OVERRIDE) and then step down to their own user
// (SETUID, SETGID, through gosu or su-exec), and servers bind ports below
// 1024 (NET_BIND_SERVICE).
var imageCaps = map[string][]string{
	"nginx":     {"CHOWN", "DAC_OVERRIDE", "NET_BIND_SERVICE", "SETGID", "SETUID"},
	"httpd":     {"NET_BIND_SERVICE", "SETGID", "SETUID"},
	"caddy":     {"NET_BIND_SERVICE"},
	"traefik":   {"NET_BIND_SERVICE"},
	"haproxy":   {"NET_BIND_SERVICE"},
	"postgres":  {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"},
	"mysql":     {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"},
	"mariadb":   {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"},
	"mongo":     {"CHOWN", "DAC_OVERRIDE", "SETGID", "SETUID"},
	"redis":     {"CHOWN", "SETGID", "SETUID"},
	"rabbitmq":  {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"},
	"memcached": {},
}

// imageWrites are the paths well-known official images write outside their
// declared volumes (which stay writable under read_only): pid files,
// sockets, caches, temporary files.
var imageWrites = map[string][]string{
	"nginx":     {"/tmp", "/var/cache/nginx", "/run"},
	"httpd":     {"/tmp", "/usr/local/apache2/logs"},
	"postgres":  {"/tmp", "/var/run/postgresql"},
	"mysql":     {"/tmp", "/var/run/mysqld"},
	"mariadb":   {"/tmp", "/run/mysqld"},
	"redis":     {"/tmp"},
	"mongo":     {"/tmp"},
	"memcached": {"/tmp"},
}

// fileEnv are the variables each official image also reads from a file
// named by NAME_FILE (its entrypoint's file_env), which is how a compose
// secret reaches them.
var fileEnv = map[string][]string{
	"postgres":  {"POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB", "POSTGRES_INITDB_ARGS"},
	"mysql":     {"MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "MYSQL_USER", "MYSQL_DATABASE"},
	"mariadb":   {"MARIADB_ROOT_PASSWORD", "MARIADB_PASSWORD", "MARIADB_USER", "MARIADB_DATABASE", "MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "MYSQL_USER", "MYSQL_DATABASE"},
	"mongo":     {"MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD"},
	"wordpress": {"WORDPRESS_DB_HOST", "WORDPRESS_DB_USER", "WORDPRESS_DB_PASSWORD", "WORDPRESS_DB_NAME", "WORDPRESS_AUTH_KEY", "WORDPRESS_SECURE_AUTH_KEY", "WORDPRESS_LOGGED_IN_KEY", "WORDPRESS_NONCE_KEY", "WORDPRESS_AUTH_SALT", "WORDPRESS_SECURE_AUTH_SALT", "WORDPRESS_LOGGED_IN_SALT", "WORDPRESS_NONCE_SALT"},
}

// writablePaths are the paths the service's image writes that are not
// writable yet (no tmpfs or writable mount covers them); /tmp for an image
// not in the table.
func writablePaths(s *container.Spec) (paths []string, known bool) {
	want, known := imageWrites[officialImage(s.Image)]
	if !known || s.Build {
		want, known = []string{"/tmp"}, false
	}
	for _, w := range want {
		if !writable(s, w) {
			paths = append(paths, w)
		}
	}
	return paths, known
}

// missingCaps are the capabilities the service's image needs that its
// cap_add does not hold.
func missingCaps(s *container.Spec) (caps []string, known bool) {
	want, known := imageCaps[officialImage(s.Image)]
	if s.Build {
		known = false
	}
	for _, c := range want {
		if !slices.Contains(s.CapAdd, c) && !slices.Contains(s.CapAdd, "ALL") {
			caps = append(caps, c)
		}
	}
	return caps, known
}

// secretPath is where a secret moved out of compose file lives: a secrets
// directory beside it.
func secretPath(composeFile, name string) string {
	return filepath.Join(filepath.Dir(composeFile), "secrets", name+".txt")
}

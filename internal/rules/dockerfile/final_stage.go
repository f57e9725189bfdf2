package dockerfile

import (
	"path"
	"regexp"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds what the multi-stage (DF13xx) and secret (DF14xx) rules
// ask of the final image that the model does not answer by itself: which
// stages a development build leaves out, which packages a RUN installs and
// later removes, and which names the rules' settings list.

// finalChain returns the stages whose layers make up the image a build
// produces: the target stage and, when it is built FROM another stage, that
// stage and its own bases. It returns nil when the image is a development
// or CI environment (Stage.Role: a dev container, a file or default stage
// named dev, test or lint, a CI folder, a test runner as its command),
// whose purpose is to carry a development environment.
func finalChain(f *df.File) []*df.Stage {
	if f.Target == nil || f.Target.Role().Role == df.RoleDev {
		return nil
	}
	var out []*df.Stage
	seen := map[*df.Stage]bool{}
	for s := f.Target; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		out = append(out, s)
	}
	// Source order reads better in findings.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// shellVars collects the plain `NAME=value` statements of a RUN that
// come before the command at index upto, so `deps="gcc make"; apk add $deps`
// can be read.
func shellVars(s *df.Script, upto int) map[string]string {
	vars := map[string]string{}
	for i, c := range s.Commands {
		if i >= upto {
			break
		}
		if c.Name == "" && len(c.Args) == 0 && c.Path == "" {
			for k, v := range c.Assigns {
				vars[k] = v
			}
		}
	}
	return vars
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// expandWords resolves $NAME and ${NAME} in a command's words, first
// from assignments earlier in the same RUN, then from ARG/ENV, and splits
// the results on whitespace the way an unquoted expansion would be.
// References that cannot be resolved are kept as written.
func expandWords(in *df.Instruction, idx int, words []string) []string {
	var vars map[string]string
	var out []string
	for _, w := range words {
		if !strings.Contains(w, "$") {
			out = append(out, w)
			continue
		}
		if vars == nil {
			vars = shellVars(in.Script, idx)
		}
		resolved := true
		v := varRef.ReplaceAllStringFunc(w, func(m string) string {
			name := strings.Trim(m, "${}")
			if val, ok := vars[name]; ok {
				return val
			}
			if dv, ok := in.Vars.Lookup(name); ok && dv.HasValue {
				return dv.Value
			}
			resolved = false
			return m
		})
		if !resolved || v == w {
			out = append(out, w)
			continue
		}
		out = append(out, strings.Fields(v)...)
	}
	return out
}

// pkgOp is a package-manager command that installs or removes packages.
type pkgOp struct {
	Mgr string
	// Install is true for install/add, false for remove/purge/del.
	Install bool
	// Pkgs are the package names, versions and architectures stripped,
	// lower-cased.
	Pkgs []string
	// Virtual is apk's --virtual group name.
	Virtual string
	// AutoRemove is set for apt-get autoremove and purge/remove
	// --auto-remove, which remove whatever is marked automatic.
	AutoRemove bool
	// MarkAuto is set for `apt-mark auto`, which hands every installed
	// package to a later autoremove.
	MarkAuto bool
}

var pkgVersion = regexp.MustCompile(`(=|>|<|~|:).*$`)

// installSubs are the subcommands after which the named packages end up
// installed. The shared decoder's Install also covers downloads, source
// fetches and reinstalls, which do not put a new toolchain in the image.
var installSubs = map[string]bool{"install": true, "add": true, "in": true, "groupinstall": true}

// packageOp decodes apt/apk/yum/dnf/zypper install and remove commands,
// with build variables and earlier shell assignments substituted so that
// `apk add $deps` names its packages.
func packageOp(in *df.Instruction, idx int, c *df.Cmd) (pkgOp, bool) {
	c = unwrapXargs(c)
	x := *c
	x.Args = expandWords(in, idx, c.Args)
	d, ok := x.Package()
	// pacman is left out: these rules have never read it, and adding it is
	// a change of behaviour of its own.
	if !ok || d.Family == df.FamilyPacman {
		return pkgOp{}, false
	}
	op := pkgOp{Mgr: d.Tool, Virtual: d.Virtual, AutoRemove: d.AutoRemove, MarkAuto: d.MarkAuto}
	switch {
	case d.MarkAuto:
		return op, true
	case d.Install && installSubs[d.Sub]:
		op.Install = true
	case d.Remove || d.AutoRemove:
	case d.Family == df.FamilyRPM && d.Sub == "history" && len(d.Pkgs) > 0 && d.Pkgs[0] == "undo":
		// `yum history undo last` rolls the previous install back.
		op.AutoRemove = true
		return op, true
	default:
		return pkgOp{}, false
	}
	for _, w := range d.Pkgs {
		if op.Virtual != "" && w == op.Virtual {
			continue
		}
		name := strings.ToLower(w)
		if d.Family != df.FamilyRPM && d.Family != df.FamilyZypper {
			name = pkgVersion.ReplaceAllString(name, "")
		}
		if name != "" {
			op.Pkgs = append(op.Pkgs, name)
		}
	}
	return op, true
}

// unwrapXargs returns the command xargs runs (`apt-mark showmanual |
// xargs apt-mark auto`), or c itself.
func unwrapXargs(c *df.Cmd) *df.Cmd {
	if c.Name != "xargs" {
		return c
	}
	for i := 0; i < len(c.Args); i++ {
		a := c.Args[i]
		if strings.HasPrefix(a, "-") {
			switch a {
			case "-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a", "-i":
				i++
			}
			continue
		}
		return &df.Cmd{Name: path.Base(a), Path: a, Args: c.Args[i+1:], Assigns: c.Assigns, Range: c.Range, Chain: c.Chain, Seq: c.Seq, Nested: c.Nested}
	}
	return c
}

// indexedOp is a package operation with the index of its command.
type indexedOp struct {
	i  int
	op pkgOp
}

// runPackageOps decodes the package operations of a RUN once, so that
// checking many packages against them stays linear.
func runPackageOps(in *df.Instruction) []indexedOp {
	var out []indexedOp
	for i, c := range in.Script.Commands {
		if op, ok := packageOp(in, i, c); ok {
			out = append(out, indexedOp{i, op})
		}
	}
	return out
}

// removedLaterIn reports whether a package installed by the command at
// index idx is removed again later in the same RUN, so that it never
// reaches a layer: apk del of the package or its --virtual group, apt-get
// purge of the package, or apt-mark auto followed by an autoremove.
func removedLaterIn(ops []indexedOp, idx int, inst pkgOp, pkg string) bool {
	markAuto := false
	for _, x := range ops {
		i, op := x.i, x.op
		if op.Install {
			continue
		}
		if op.MarkAuto {
			markAuto = true
			continue
		}
		if i <= idx {
			continue
		}
		if op.AutoRemove && (markAuto || op.Mgr == "yum" || op.Mgr == "dnf") {
			return true
		}
		for _, p := range op.Pkgs {
			if p == pkg || (inst.Virtual != "" && p == strings.ToLower(inst.Virtual)) || globMatch(p, pkg) {
				return true
			}
		}
	}
	return false
}

// removesAnything reports whether the RUN removes packages after the
// command at index idx: a build that ends by purging its build
// dependencies leaves no toolchain behind.
func removesAnything(in *df.Instruction, idx int) bool {
	for i, c := range in.Script.Commands {
		if i <= idx {
			continue
		}
		if op, ok := packageOp(in, i, c); ok && !op.Install && !op.MarkAuto {
			return true
		}
	}
	return false
}

func globMatch(pat, s string) bool {
	if !strings.ContainsAny(pat, "*?[") {
		return false
	}
	ok, err := path.Match(pat, s)
	return err == nil && ok
}

// settingLists reports whether a name is listed (case-insensitively, glob
// patterns allowed) in a strings setting.
func settingLists(p *rule.Pass, setting, name string) bool {
	for _, pat := range p.Settings.Strings(setting) {
		if strings.EqualFold(pat, name) {
			return true
		}
		if ok, err := path.Match(strings.ToLower(pat), strings.ToLower(name)); err == nil && ok {
			return true
		}
	}
	return false
}

// officialImages are Docker Official Images (docker.io/library/...)
// that a bare `--from=NAME` may deliberately name.
var officialImages = map[string]bool{
	"alpine": true, "busybox": true, "debian": true, "ubuntu": true, "centos": true, "fedora": true,
	"rockylinux": true, "almalinux": true, "amazonlinux": true, "oraclelinux": true, "archlinux": true,
	"opensuse": true, "photon": true, "clearlinux": true, "alt": true, "mageia": true, "sl": true,
	"golang": true, "node": true, "python": true, "pypy": true, "ruby": true, "php": true, "perl": true,
	"rust": true, "openjdk": true, "eclipse-temurin": true, "amazoncorretto": true, "ibm-semeru-runtimes": true,
	"sapmachine": true, "maven": true, "gradle": true, "gcc": true, "erlang": true, "elixir": true,
	"haskell": true, "swift": true, "julia": true, "r-base": true, "clojure": true, "groovy": true,
	"dart": true, "bash": true, "buildpack-deps": true, "composer": true, "nginx": true, "httpd": true,
	"tomcat": true, "jetty": true, "traefik": true, "haproxy": true, "caddy": true, "redis": true,
	"postgres": true, "mysql": true, "mariadb": true, "mongo": true, "memcached": true, "rabbitmq": true,
	"elasticsearch": true, "docker": true, "registry": true, "consul": true, "vault": true, "hello-world": true,
	"influxdb": true, "telegraf": true, "neo4j": true, "cassandra": true, "couchdb": true, "solr": true,
	"sonarqube": true, "jenkins": true, "wordpress": true, "ghost": true, "nextcloud": true, "drupal": true,
	"joomla": true, "mediawiki": true, "eclipse-mosquitto": true, "zookeeper": true, "kong": true, "nats": true,
	"varnish": true, "adminer": true, "node-red": true, "odoo": true, "phpmyadmin": true, "postfixadmin": true,
	"percona": true, "arangodb": true, "couchbase": true, "crate": true, "flink": true, "storm": true,
	"spark": true, "kibana": true, "logstash": true, "matomo": true, "mongo-express": true, "neurodebian": true,
	"open-liberty": true, "orientdb": true, "rethinkdb": true, "satosa": true, "teamspeak": true,
	"tomee": true, "unit": true, "websphere-liberty": true, "xwiki": true, "yourls": true, "znc": true,
	"irssi": true, "hylang": true, "convertigo": true, "friendica": true, "gazebo": true, "geonetwork": true,
	"backdrop": true, "bonita": true, "api-firewall": true, "aerospike": true, "monica": true, "plone": true,
	"rakudo-star": true, "redmine": true, "rocket.chat": true, "silverpeas": true, "emqx": true, "liquibase": true,
	"ros": true, "mono": true, "kapacitor": true, "chronograf": true, "lightstreamer": true, "krakend": true,
	"spiped": true, "eggdrop": true, "fluentd": true, "haxe": true, "nats-streaming": true, "ubuntu-debootstrap": true,
}

// imageName returns the repository name of an image reference without
// registry, tag and digest, lower-cased: "docker.io/library/alpine:3" →
// "alpine", "gcr.io/x/y:1" → "x/y".
func imageName(ref string) string {
	ref = strings.ToLower(ref)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		ref = ref[:i]
	}
	parts := strings.Split(ref, "/")
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		parts = parts[1:]
	}
	if len(parts) == 2 && parts[0] == "library" {
		parts = parts[1:]
	}
	return strings.Join(parts, "/")
}

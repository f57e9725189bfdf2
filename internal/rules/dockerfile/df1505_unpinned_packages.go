package dockerfile

import (
	"fmt"
	"path"
	"slices"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1505 catches package installs that name packages without versions
// (apt-get/apt, apk, pip, npm/yarn/pnpm, gem, go install @latest, yum/dnf/
// microdnf/tdnf, zypper). One finding per command lists the unpinned names.
// Installs from lockfiles, requirement and constraint files, local files
// and pinned VCS references are left alone.
var DF1505 = &rule.Rule{
	ID:       "DF1505",
	Slug:     "unpinned-packages",
	Title:    "Packages installed without pinned versions",
	Severity: rule.Low,
	Category: rule.CatIntegrity,
	Rationale: "An install without versions takes whatever the repository serves on the day of the build, so two builds " +
		"of the same Dockerfile can contain different code. A rebuild may silently pick up a breaking change or a freshly " +
		"published malicious release, and a vulnerability report about the image cannot be traced back to a Dockerfile line. " +
		"Pinned versions make upgrades deliberate, reviewable changes.",
	Fix: "Pin each package to a version (`curl=8.5.0-2`, `py3-pip=23.1.2-r0`, `requests==2.32.3`, `typescript@5.4.5`, `rails:7.1.3`, `tool@v1.2.3`, `httpd-2.4.57`), " +
		"or install from a lockfile (`npm ci`, `pip install -r requirements.txt` with hashes, `bundle install`).",
	Bad:   "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && pip install --no-cache-dir requests",
	Good:  "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && pip install --no-cache-dir requests==2.32.3",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3008"}, {Tool: "hadolint", ID: "DL3013"}, {Tool: "hadolint", ID: "DL3016"}, {Tool: "hadolint", ID: "DL3018"}, {Tool: "hadolint", ID: "DL3028"}, {Tool: "hadolint", ID: "DL3033"}, {Tool: "hadolint", ID: "DL3037"}, {Tool: "hadolint", ID: "DL3041"}, {Tool: "hadolint", ID: "DL3062"}, {Tool: "kics", ID: "965a08d7-ef86-4f14-8792-4a3b2098937e"}, {Tool: "kics", ID: "22cd11f7-9c6c-4f6e-84c0-02058120b341"}, {Tool: "kics", ID: "93d88cf7-f078-46a8-8ddc-178e03aeacf1"}, {Tool: "kics", ID: "e36d8880-3f78-4546-b9a1-12f0745ca0d5"}, {Tool: "kics", ID: "d3499f6d-1651-41bb-a9a7-de925fea487b"}, {Tool: "kics", ID: "02d9c71f-3ee8-4986-9c27-1a20d0d19bfc"}, {Tool: "kics", ID: "6452c424-1d92-4deb-bb18-a03e95d579c4"}, {Tool: "kics", ID: "562952e4-0348-4dea-9826-44f3a2c6117b"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://github.com/hadolint/hadolint/wiki/DL3008",
		"https://github.com/hadolint/hadolint/wiki/DL3013",
		"https://github.com/hadolint/hadolint/wiki/DL3016",
		"https://github.com/hadolint/hadolint/wiki/DL3018",
	},
	Settings: []rule.Setting{{
		Name:    "ignore",
		Type:    "strings",
		Default: []string{},
		Doc:     "Package names never reported, for packages you deliberately keep current (for example ca-certificates or tzdata).",
	}},
	Check: checkUnpinnedPackages,
}

func checkUnpinnedPackages(p *rule.Pass) error {
	ignore := map[string]bool{}
	for _, n := range p.Settings.Strings("ignore") {
		ignore[strings.ToLower(n)] = true
	}
	for in, c := range fileOf(p).Commands() {
		tool, pkgs := itgUnpinned(in, c)
		var out []itgPkg
		for _, k := range pkgs {
			if !ignore[strings.ToLower(k.name)] {
				out = append(out, k)
			}
		}
		if len(out) == 0 {
			continue
		}
		names := make([]string, len(out))
		for i, k := range out {
			names[i] = k.name
		}
		// The finding points at the first unpinned package as written, so
		// that a long install list shows which name is meant.
		p.Reportf(itgLocateArg(in, c, out[0].arg), "%s does not pin the %s of %s", tool, plural(len(out), "version", "versions"), listNames(names, 5))
	}
	return nil
}

// itgPkg is one unpinned package: the name reported and the argument as
// written, by which the finding is located.
type itgPkg struct {
	name, arg string
}

// itgLocateArg is the range of the last argument of c written as arg (the
// package list follows the options), else the command.
func itgLocateArg(in *df.Instruction, c *df.Cmd, arg string) loc.Range {
	for i := len(c.Args) - 1; i >= 0; i-- {
		if c.Args[i] == arg {
			return in.ArgRange(c, i)
		}
	}
	return in.CmdRange(c)
}

var (
	itgNpmOpts = itgOpts{short: "w", long: map[string]bool{
		"registry": true, "prefix": true, "cache": true, "workspace": true, "userconfig": true, "omit": true, "include": true,
		"tag": true, "loglevel": true, "location": true, "save-prefix": true, "install-strategy": true, "cwd": true, "modules-folder": true, "filter": true,
	}}
	itgGemOpts = itgOpts{short: "vinsPgp", long: map[string]bool{
		"version": true, "install-dir": true, "bindir": true, "source": true, "trust-policy": true, "platform": true,
		"file": true, "build-root": true, "http-proxy": true,
	}}
	itgPipxOpts = itgOpts{long: map[string]bool{
		"python": true, "index-url": true, "pip-args": true, "suffix": true, "preinstall": true, "global": false,
	}}
)

// itgUnpinned returns the package manager a command runs and the packages
// it installs without a version.
func itgUnpinned(in *df.Instruction, c *df.Cmd) (string, []itgPkg) {
	name := c.Name
	switch {
	case name == "apt-get" || name == "apt" || name == "aptitude":
		return itgPkgOp(in, c, name+" install", itgAptPinned, "install")
	case name == "apk":
		return itgPkgOp(in, c, "apk add", itgApkPinned, "add")
	case name == "yum" || name == "dnf" || name == "dnf5" || name == "tdnf" || name == "microdnf":
		if tool, pkgs := itgModuleInstall(in, c); tool != "" {
			return tool, pkgs
		}
		return itgPkgOp(in, c, name+" install", itgRpmPinned, "install")
	case name == "zypper":
		return itgPkgOp(in, c, "zypper install", itgZypperPinned, "install", "in")
	case name == "npm":
		return itgSubPkgs(in, c, "npm install", itgNpmOpts, []string{"install", "i", "add", "in", "isntall"}, itgNpmPinned)
	case name == "pnpm":
		return itgSubPkgs(in, c, "pnpm add", itgNpmOpts, []string{"add"}, itgNpmPinned)
	case name == "pipx":
		return itgSubPkgs(in, c, "pipx install", itgPipxOpts, []string{"install"}, itgPipPinned)
	case name == "yarn":
		ops := itgNpmOpts.operands(c.Args)
		if len(ops) > 1 && ops[0].Val == "global" {
			ops = ops[1:]
		}
		if len(ops) == 0 || ops[0].Val != "add" {
			return "", nil
		}
		return "yarn add", itgFilter(in, ops[1:], itgNpmPinned)
	case name == "gem":
		return itgGemInstall(in, c)
	case name == "go":
		return itgGoInstall(in, c)
	}
	if pip, args := itgPipArgs(c); pip != "" {
		ops := itgPipOpts.operands(args)
		if len(ops) == 0 || ops[0].Val != "install" || itgPipOpts.has(args, 'c', "constraint") {
			return "", nil
		}
		upgrade := itgPipOpts.has(args, 'U', "upgrade")
		var keep []itgOperand
		for _, o := range ops[1:] {
			if upgrade && itgPipTooling[strings.ToLower(o.Val)] {
				continue
			}
			keep = append(keep, o)
		}
		return pip + " install", itgFilter(in, keep, itgPipPinned)
	}
	return "", nil
}

// itgPipTooling are the packaging tools a `pip install --upgrade` keeps
// current on purpose; pinning them buys nothing.
var itgPipTooling = map[string]bool{"pip": true, "setuptools": true, "wheel": true}

// itgPkgOp handles system package managers, read by the shared decoder:
// the packages of one of the subcommands subs that are not pinned.
func itgPkgOp(in *df.Instruction, c *df.Cmd, tool string, pinned func(string) bool, subs ...string) (string, []itgPkg) {
	op, ok := c.Package()
	if !ok {
		return "", nil
	}
	for _, s := range subs {
		if op.Sub == s {
			ops := make([]itgOperand, len(op.Pkgs))
			for i, p := range op.Pkgs {
				ops[i].Val = p
			}
			return tool, itgFilter(in, ops, pinned)
		}
	}
	return "", nil
}

// itgModuleInstall handles `dnf module install NAME[:STREAM]`: a module
// without a stream follows the distribution's default stream, which moves
// between releases.
func itgModuleInstall(in *df.Instruction, c *df.Cmd) (string, []itgPkg) {
	op, ok := c.Package()
	if !ok || op.Sub != "module" || len(op.Pkgs) == 0 || op.Pkgs[0] != "install" {
		return "", nil
	}
	ops := make([]itgOperand, 0, len(op.Pkgs)-1)
	for _, p := range op.Pkgs[1:] {
		ops = append(ops, itgOperand{Val: p})
	}
	return op.Tool + " module install", itgFilter(in, ops, func(m string) bool { return strings.Contains(m, ":") || itgIsPathLike(m) })
}

// itgSubPkgs handles `tool [opts] SUB [opts] PKG...`.
func itgSubPkgs(in *df.Instruction, c *df.Cmd, tool string, o itgOpts, subs []string, pinned func(string) bool) (string, []itgPkg) {
	ops := o.operands(c.Args)
	if len(ops) == 0 {
		return "", nil
	}
	for _, s := range subs {
		if ops[0].Val == s {
			return tool, itgFilter(in, ops[1:], pinned)
		}
	}
	return "", nil
}

// itgGemInstall handles `gem install`: arguments after `--` are build
// options for the gem's native extension, not gems, and a lone -v pins
// the one gem named.
func itgGemInstall(in *df.Instruction, c *df.Cmd) (string, []itgPkg) {
	args := c.Args
	if i := slices.Index(args, "--"); i >= 0 {
		args = args[:i]
	}
	ops := itgGemOpts.operands(args)
	if len(ops) == 0 || (ops[0].Val != "install" && ops[0].Val != "i") {
		return "", nil
	}
	var keep []itgOperand
	for _, o := range ops[1:] {
		// `--flag true`: a boolean written after an option gem does not
		// know is that option's value, not a gem.
		if (o.Val == "true" || o.Val == "false") && o.Idx > 0 && strings.HasPrefix(args[o.Idx-1], "--") {
			continue
		}
		keep = append(keep, o)
	}
	names := itgFilter(in, keep, itgGemPinned)
	if len(names) == 1 && itgGemOpts.has(args, 'v', "version") {
		return "", nil
	}
	return "gem install", names
}

// itgFilter resolves variables in package operands and returns those not
// pinned. Operands that stay dynamic (command substitutions, variables the
// Dockerfile does not declare) are skipped: they cannot be judged. A pin
// made of a variable that is empty where the RUN runs (see
// Instruction.EmptyVars) pins nothing.
func itgFilter(in *df.Instruction, ops []itgOperand, pinned func(string) bool) []itgPkg {
	var out []itgPkg
	seen := map[string]bool{}
	add := func(name, arg string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, itgPkg{name: name, arg: arg})
		}
	}
	for _, o := range ops {
		v := o.Val
		if strings.ContainsAny(v, "`") || strings.Contains(v, "$(") {
			continue
		}
		words := []string{v}
		if strings.Contains(v, "$") {
			if e, ok := itgEmptyPin(in, v); ok {
				add(fmt.Sprintf("%s (%s %s)", v, e.Name, e.Why), v)
				continue
			}
			x, unmatched := in.Expand(v)
			if len(unmatched) > 0 {
				continue
			}
			words = strings.Fields(x)
		}
		for _, w := range words {
			w = strings.TrimSpace(w)
			if w == "" || strings.ContainsAny(w, "*?") || pinned(w) {
				continue
			}
			add(w, v)
		}
	}
	return out
}

// itgEmptyPin reports a package whose version is a variable that is empty
// where the RUN runs (`curl=${CURL_VERSION}` with no default): the
// reference follows a name and a version separator, so the package is
// named but its version is not.
func itgEmptyPin(in *df.Instruction, v string) (df.EmptyVar, bool) {
	for _, e := range in.EmptyVars(v) {
		i := strings.Index(v, "${"+e.Name+"}")
		if j := strings.Index(v, "$"+e.Name); i < 0 || (j >= 0 && j < i) {
			i = j
		}
		if i > 1 && strings.IndexByte("=@:-~<>!#", v[i-1]) >= 0 {
			return e, true
		}
	}
	return df.EmptyVar{}, false
}

func itgIsPathLike(p string) bool {
	return strings.HasPrefix(p, "/") || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "~") || p == "." || p == ".." || strings.Contains(p, "://")
}

func itgAptPinned(p string) bool {
	return strings.Contains(p, "=") || strings.Contains(p, "/") || strings.HasSuffix(p, ".deb") || itgIsPathLike(p)
}

func itgApkPinned(p string) bool {
	return strings.ContainsAny(p, "=<>~") || strings.HasSuffix(p, ".apk") || itgIsPathLike(p)
}

func itgRpmPinned(p string) bool {
	if strings.ContainsAny(p, "=<>") || strings.HasSuffix(p, ".rpm") || itgIsPathLike(p) || strings.HasPrefix(p, "@") || strings.ContainsAny(p, "*?") {
		return true
	}
	// name-version[-release]: the segment after the last dash (or the
	// one before it, for name-version-release) starts with a digit.
	segs := strings.Split(p, "-")
	if len(segs) < 2 {
		return false
	}
	last := segs[len(segs)-1]
	if last != "" && last[0] >= '0' && last[0] <= '9' && strings.ContainsAny(last, ".:~") {
		return true
	}
	if len(segs) >= 3 {
		prev := segs[len(segs)-2]
		if prev != "" && prev[0] >= '0' && prev[0] <= '9' && strings.Contains(prev, ".") {
			return true
		}
	}
	return false
}

func itgZypperPinned(p string) bool {
	return strings.ContainsAny(p, "=<>") || strings.HasSuffix(p, ".rpm") || itgIsPathLike(p)
}

func itgPipPinned(p string) bool {
	l := strings.ToLower(p)
	for _, vcs := range []string{"git+", "hg+", "svn+", "bzr+"} {
		if strings.HasPrefix(l, vcs) {
			return itgVCSRef(p)
		}
	}
	switch {
	case strings.ContainsAny(p, "=<>!@"):
		return true
	case strings.HasSuffix(l, ".whl") || strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".zip") || strings.HasSuffix(l, ".tar.bz2"):
		return true
	case itgIsPathLike(p) || strings.Contains(p, "/"):
		return true
	}
	return false
}

// itgVCSRef reports whether a pip VCS requirement
// (git+https://host/org/repo.git@REF#egg=name) names a ref: an @ in the
// path after the host, not the one of user@host.
func itgVCSRef(p string) bool {
	u, _, _ := strings.Cut(p, "#")
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = rest
	}
	_, pth, ok := strings.Cut(u, "/")
	return ok && strings.Contains(pth, "@")
}

func itgNpmPinned(p string) bool {
	l := strings.ToLower(p)
	for _, g := range []string{"git://", "git+ssh://", "git+http://", "git+https://", "github:", "gitlab:", "bitbucket:", "gist:"} {
		if strings.HasPrefix(l, g) {
			return strings.Contains(p, "#")
		}
	}
	if strings.HasSuffix(l, ".tgz") || strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".tar") ||
		strings.HasPrefix(l, "file:") || strings.HasPrefix(l, "npm:") || strings.HasPrefix(l, "link:") || strings.HasPrefix(l, "workspace:") || itgIsPathLike(p) {
		return true
	}
	rest := p
	if strings.HasPrefix(rest, "@") {
		_, after, ok := strings.Cut(rest, "/")
		if !ok {
			return true
		}
		rest = after
	} else if strings.Contains(rest, "/") {
		// GitHub shorthand user/repo[#ref].
		return strings.Contains(rest, "#")
	}
	_, ver, ok := strings.Cut(rest, "@")
	if !ok {
		return false
	}
	return ver != "" && !strings.EqualFold(ver, "latest")
}

func itgGemPinned(p string) bool {
	return strings.Contains(p, ":") || strings.HasSuffix(p, ".gem") || itgIsPathLike(p)
}

// itgGoValueFlags are the go build flags that take a separate value.
var itgGoValueFlags = map[string]bool{
	"o": true, "p": true, "C": true, "ldflags": true, "gcflags": true, "asmflags": true, "tags": true, "mod": true, "modfile": true,
	"pkgdir": true, "toolexec": true, "installsuffix": true, "overlay": true, "pgo": true, "buildmode": true, "compiler": true,
	"gccgoflags": true, "exec": true, "covermode": true, "coverpkg": true,
}

// itgGoInstall reports the module packages `go install`, `go get` and `go
// run` fetch at a moving version (@latest, a branch). Without @version,
// go install and go run build the version the go.mod of the main module
// requires, which is a pin, and outside a module Go refuses them; go get
// without a version upgrades to the latest release, so there it counts
// as unpinned. Local paths (., ./cmd, /src/x) build what is there. go run
// runs one package; what follows it are the program's arguments.
func itgGoInstall(in *df.Instruction, c *df.Cmd) (string, []itgPkg) {
	if len(c.Args) == 0 {
		return "", nil
	}
	sub := c.Args[0]
	if sub != "install" && sub != "get" && sub != "run" {
		return "", nil
	}
	var out []itgPkg
	args := c.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if n := strings.TrimLeft(a, "-"); !strings.Contains(n, "=") && itgGoValueFlags[n] {
				i++
			}
			continue
		}
		if pkg, ok := itgGoUnpinned(in, sub, a); ok {
			out = append(out, itgPkg{name: pkg, arg: a})
		}
		if sub == "run" {
			break
		}
	}
	return "go " + sub, out
}

// itgGoUnpinned judges one package argument of a go command and returns
// the name to report.
func itgGoUnpinned(in *df.Instruction, sub, a string) (string, bool) {
	v := a
	if strings.Contains(v, "$") {
		if e, ok := itgEmptyPin(in, v); ok {
			return fmt.Sprintf("%s (%s %s)", v, e.Name, e.Why), true
		}
		x, unmatched := in.Expand(v)
		if len(unmatched) > 0 {
			return "", false
		}
		v = x
	}
	pkg, ver, hasVer := strings.Cut(v, "@")
	if itgIsPathLike(pkg) || strings.HasPrefix(pkg, ".") || pkg == "tool" || pkg == "all" || pkg == "std" || pkg == "cmd" {
		return "", false
	}
	if !hasVer {
		return path.Clean(pkg), sub == "get"
	}
	switch strings.ToLower(ver) {
	case "latest", "master", "main", "head", "upgrade", "patch", "":
		return path.Clean(pkg) + "@" + ver, true
	}
	return "", false
}

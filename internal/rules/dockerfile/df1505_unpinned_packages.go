package dockerfile

import (
	"path"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
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
		tool, names := itgUnpinned(in, c)
		var out []string
		for _, n := range names {
			if !ignore[strings.ToLower(n)] {
				out = append(out, n)
			}
		}
		if len(out) == 0 {
			continue
		}
		// The finding sits on the RUN's first line, where hadolint and KICS
		// put it too; the message names the command.
		p.Reportf(in.Start(), "%s does not pin the %s of %s", tool, plural(len(out), "version", "versions"), listNames(out, 5))
	}
	return nil
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
	itgGoValueFlags = map[string]bool{
		"o": true, "p": true, "C": true, "ldflags": true, "gcflags": true, "asmflags": true, "tags": true, "mod": true, "modfile": true,
		"pkgdir": true, "toolexec": true, "installsuffix": true, "overlay": true, "pgo": true, "buildmode": true, "compiler": true,
		"gccgoflags": true, "exec": true, "covermode": true, "coverpkg": true,
	}
)

// itgUnpinned returns the package manager a command runs and the packages
// it installs without a version.
func itgUnpinned(in *df.Instruction, c *df.Cmd) (string, []string) {
	name := c.Name
	switch {
	case name == "apt-get" || name == "apt" || name == "aptitude":
		return itgPkgOp(in, c, name+" install", itgAptPinned, "install")
	case name == "apk":
		return itgPkgOp(in, c, "apk add", itgApkPinned, "add")
	case name == "yum" || name == "dnf" || name == "dnf5" || name == "tdnf" || name == "microdnf":
		return itgPkgOp(in, c, name+" install", itgRpmPinned, "install")
	case name == "zypper":
		return itgPkgOp(in, c, "zypper install", itgZypperPinned, "install", "in")
	case name == "npm":
		return itgSubPkgs(in, c, "npm install", itgNpmOpts, []string{"install", "i", "add", "in", "isntall"}, itgNpmPinned)
	case name == "pnpm":
		return itgSubPkgs(in, c, "pnpm add", itgNpmOpts, []string{"add"}, itgNpmPinned)
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
		tool, names := itgSubPkgs(in, c, "gem install", itgGemOpts, []string{"install", "i"}, itgGemPinned)
		if len(names) == 1 && itgGemOpts.has(c.Args, 'v', "version") {
			return "", nil
		}
		return tool, names
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
func itgPkgOp(in *df.Instruction, c *df.Cmd, tool string, pinned func(string) bool, subs ...string) (string, []string) {
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

// itgSubPkgs handles `tool [opts] SUB [opts] PKG...`.
func itgSubPkgs(in *df.Instruction, c *df.Cmd, tool string, o itgOpts, subs []string, pinned func(string) bool) (string, []string) {
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

// itgFilter resolves variables in package operands and returns the names
// of those not pinned. Operands that stay dynamic (command substitutions,
// unknown variables) are skipped: they cannot be judged.
func itgFilter(in *df.Instruction, ops []itgOperand, pinned func(string) bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range ops {
		v := o.Val
		if strings.ContainsAny(v, "`") || strings.Contains(v, "$(") {
			continue
		}
		words := []string{v}
		if strings.Contains(v, "$") {
			x, unmatched := in.Expand(v)
			if len(unmatched) > 0 {
				continue
			}
			words = strings.Fields(x)
		}
		for _, w := range words {
			w = strings.TrimSpace(w)
			if w == "" || strings.ContainsAny(w, "*?") || pinned(w) || seen[w] {
				continue
			}
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
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
	switch {
	case strings.ContainsAny(p, "=<>!@"):
		return true
	case strings.HasPrefix(l, "git+") || strings.HasPrefix(l, "hg+") || strings.HasPrefix(l, "svn+") || strings.HasPrefix(l, "bzr+"):
		return false
	case strings.HasSuffix(l, ".whl") || strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".zip") || strings.HasSuffix(l, ".tar.bz2"):
		return true
	case itgIsPathLike(p) || strings.Contains(p, "/"):
		return true
	}
	return false
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

// itgGoInstall reports `go install pkg@latest` (or a branch). Without
// @version, go install builds the version the main module's go.mod
// requires, so that form is pinned.
func itgGoInstall(in *df.Instruction, c *df.Cmd) (string, []string) {
	if len(c.Args) == 0 || c.Args[0] != "install" {
		return "", nil
	}
	var out []string
	args := c.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			n := strings.TrimLeft(a, "-")
			if !strings.Contains(n, "=") && itgGoValueFlags[n] {
				i++
			}
			continue
		}
		v := a
		if strings.Contains(v, "$") {
			x, unmatched := in.Expand(v)
			if len(unmatched) > 0 {
				continue
			}
			v = x
		}
		pkg, ver, ok := strings.Cut(v, "@")
		if !ok {
			continue
		}
		switch strings.ToLower(ver) {
		case "latest", "master", "main", "head", "upgrade", "patch", "":
			out = append(out, path.Clean(pkg)+"@"+ver)
		}
	}
	return "go install", out
}

package dockerfile

import "strings"

// Package manager families. Managers in one family share a package index
// and a cache layout, so rules about the index or the cache ask for the
// family rather than the program.
const (
	FamilyApt    = "apt"
	FamilyApk    = "apk"
	FamilyRPM    = "rpm"
	FamilyZypper = "zypper"
	FamilyPacman = "pacman"
)

// PackageOp says what one operating-system package manager command does.
type PackageOp struct {
	// Family is one of the Family constants.
	Family string
	// Tool is the program as named (apt-get, dnf, ...); Sub its subcommand,
	// lower-cased ("-S..." for pacman), and SubIndex the index of the
	// subcommand in Cmd.Args (-1 when there is none).
	Tool, Sub string
	SubIndex  int
	// Options are the option words as written, in order, with the separate
	// values of the tool's value-taking options (`-o X=Y`) kept after them.
	Options []string
	// Pkgs are the operands after the subcommand, the values of the tool's
	// value-taking options skipped. They are not lower-cased and keep any
	// version (`curl=8.5.0-1`, `gcc@edge`).
	Pkgs []string
	// Update refreshes the package index. Install reads named packages from
	// the index: besides install it covers apt reinstall, build-dep, source,
	// download and satisfy, apk fix, dnf reinstall, downgrade, localinstall,
	// group/module install and `update NAME`, and zypper source-install, so
	// rules that mean "ends up installed" also look at Sub. Upgrade upgrades
	// every installed package. Clean empties the cache.
	Update, Install, Upgrade, Clean bool
	// Remove uninstalls named packages (apt remove/purge, apk del, dnf
	// remove/erase, zypper remove). AutoRemove removes what is marked as
	// automatically installed (apt autoremove, remove --auto-remove, dnf
	// autoremove). MarkAuto is `apt-mark auto`, which hands packages to a
	// later autoremove.
	Remove, AutoRemove, MarkAuto bool
	// Virtual is the group name given to apk add --virtual/-t.
	Virtual string
}

// The value-taking options of each family: their separate values are
// neither the subcommand nor a package. apt, apk and dnf read their options
// anywhere on the line; zypper's global options (before the subcommand)
// differ from the subcommand's, and -C is a global option with a value
// (--cache-dir) but a plain flag of install (--capability).
var (
	aptValued          = []string{"-o", "-c", "-t", "-a", "--option", "--config-file", "--target-release", "--default-release", "--host-architecture"}
	rpmValued          = []string{"-c", "--config", "--setopt", "--enablerepo", "--disablerepo", "--repo", "--repoid", "--repofrompath", "--installroot", "--releasever", "-x", "--exclude", "--downloaddir", "--destdir", "--forcearch", "-d", "--debuglevel", "-e", "--errorlevel", "--disableplugin", "--enableplugin", "-R", "--randomwait", "--rpmverbosity", "--color", "--comment"}
	zypperGlobalValued = []string{"-R", "--root", "-c", "--config", "--installroot", "-D", "--reposd-dir", "-C", "--cache-dir"}
	zypperValued       = []string{"-R", "--root", "-c", "--config", "-r", "--repo", "-t", "--type", "--installroot", "--from", "--download"}
	apkValued          = []string{"-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file", "-t", "--virtual", "--cache-max-age", "--wait", "--timeout"}
)

// Subcommand returns the subcommand of a command, lower-cased, and its
// index in Args: the first argument that is neither an option nor the
// separate value of one of the options in valued (see takesValue). The
// argument after `--` is the subcommand whatever it looks like. It returns
// "", -1 when there is none.
func (c *Cmd) Subcommand(valued ...string) (string, int) {
	for i := 0; i < len(c.Args); i++ {
		a := c.Args[i]
		if a == "--" {
			if i+1 < len(c.Args) {
				return strings.ToLower(c.Args[i+1]), i + 1
			}
			return "", -1
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			if takesValue(a, valued) {
				i++
			}
			continue
		}
		return strings.ToLower(a), i
	}
	return "", -1
}

// OperandsAfter returns the arguments after index i (all of them for -1)
// that are neither options nor the separate values of the options in
// valued. Every argument after `--` is an operand.
func (c *Cmd) OperandsAfter(i int, valued ...string) []string {
	var out []string
	args := c.Args[i+1:]
	for j := 0; j < len(args); j++ {
		a := args[j]
		if a == "--" {
			return append(out, args[j+1:]...)
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			if takesValue(a, valued) {
				j++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// takesValue reports whether the option word a takes the next argument as
// its value: it is one of valued, or a cluster of short options (`-yt`)
// whose first value-taking letter comes last. A value-taking letter inside
// the cluster has the rest of the word as its value (`-tbookworm`).
func takesValue(a string, valued []string) bool {
	if isOneOf(a, valued) {
		return true
	}
	if len(a) < 3 || a[0] != '-' || a[1] == '-' || !isLetters(a[1:]) {
		return false
	}
	for k := 1; k < len(a); k++ {
		if isOneOf("-"+a[k:k+1], valued) {
			return k == len(a)-1
		}
	}
	return false
}

// options returns the option words of Args with the separate values of
// the value-taking options: those in global before the subcommand at
// index sub, those in valued after it.
func (c *Cmd) options(global, valued []string, sub int) []string {
	var out []string
	for i := 0; i < len(c.Args); i++ {
		a := c.Args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		out = append(out, a)
		list := valued
		if sub < 0 || i < sub {
			list = global
		}
		if a == "--" {
			break
		}
		if takesValue(a, list) && i+1 < len(c.Args) {
			i++
			out = append(out, c.Args[i])
		}
	}
	return out
}

func isOneOf(s string, list []string) bool {
	for _, v := range list {
		if s == v {
			return true
		}
	}
	return false
}

// Package decodes an operating-system package manager command (apt-get,
// apt, aptitude, apt-mark, apk, yum, dnf, microdnf, tdnf, zypper, pacman);
// ok is false for other commands. Language package managers (pip, npm,
// gem) have no family and are read with Subcommand and OperandsAfter.
func (c *Cmd) Package() (op PackageOp, ok bool) {
	op.Tool = c.Name
	op.SubIndex = -1
	var valued, global []string
	switch c.Name {
	case "apt-get", "apt", "aptitude", "apt-mark":
		op.Family, valued = FamilyApt, aptValued
	case "apk":
		op.Family, valued = FamilyApk, apkValued
	case "yum", "dnf", "microdnf", "tdnf", "dnf5":
		op.Family, valued = FamilyRPM, rpmValued
	case "zypper":
		op.Family, valued, global = FamilyZypper, zypperValued, zypperGlobalValued
	case "pacman":
		op.Family = FamilyPacman
		op.Options = c.options(nil, nil, -1)
		c.pacman(&op)
		return op, true
	default:
		return op, false
	}
	if global == nil {
		global = valued
	}
	op.Sub, op.SubIndex = c.Subcommand(global...)
	op.Options = c.options(global, valued, op.SubIndex)
	if op.SubIndex >= 0 {
		op.Pkgs = c.OperandsAfter(op.SubIndex, valued...)
	}
	switch op.Family {
	case FamilyApt:
		c.apt(&op)
	case FamilyApk:
		c.apk(&op)
	case FamilyRPM:
		rpm(&op)
	case FamilyZypper:
		zypper(&op)
	}
	return op, true
}

// apt decodes the subcommands of apt-get, apt, aptitude and apt-mark.
func (c *Cmd) apt(op *PackageOp) {
	sub := op.Sub
	if c.Name == "apt-mark" {
		op.MarkAuto = sub == "auto" || sub == "markauto"
		return
	}
	switch sub {
	case "update":
		op.Update = true
	case "install", "reinstall", "build-dep", "source", "download", "satisfy":
		op.Install = true
	case "upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade":
		op.Upgrade = true
	case "clean", "autoclean", "dist-clean":
		op.Clean = true
	case "remove", "purge":
		op.Remove = true
		op.AutoRemove = c.HasFlag("--auto-remove", "--autoremove")
	case "autoremove":
		op.AutoRemove = true
	}
}

// apk decodes apk's subcommands; -U refreshes the index on the way.
func (c *Cmd) apk(op *PackageOp) {
	switch op.Sub {
	case "update":
		op.Update = true
	case "add", "fix":
		op.Install = true
		op.Update = c.HasFlag("-U", "--update-cache", "--update")
	case "upgrade":
		op.Upgrade = true
		op.Update = c.HasFlag("-U", "--update-cache", "--update")
	case "del":
		op.Remove = true
	}
	if op.Sub == "add" {
		if v, ok := c.FlagValue("--virtual", "-t"); ok {
			op.Virtual = v
		}
	}
}

// rpm decodes the subcommands of yum, dnf, microdnf and tdnf.
func rpm(op *PackageOp) {
	switch op.Sub {
	case "makecache", "check-update":
		op.Update = true
	case "install", "in", "groupinstall", "localinstall", "reinstall", "rei", "downgrade":
		op.Install = true
	case "group", "module":
		op.Install = len(op.Pkgs) > 0 && op.Pkgs[0] == "install"
	case "update", "upgrade", "up", "distro-sync", "upgrade-minimal", "up-min", "distrosync", "dsync":
		// With package names these install or upgrade just those;
		// without, they upgrade the whole system.
		if len(op.Pkgs) > 0 {
			op.Install = true
		} else {
			op.Upgrade = true
		}
	case "clean":
		op.Clean = true
	case "remove", "erase", "rm", "groupremove":
		op.Remove = true
	case "autoremove":
		op.Remove = len(op.Pkgs) > 0
		op.AutoRemove = true
	}
}

// zypper decodes zypper's subcommands.
func zypper(op *PackageOp) {
	switch op.Sub {
	case "refresh", "ref":
		op.Update = true
	case "install", "in", "source-install", "si":
		op.Install = true
	case "update", "up":
		if len(op.Pkgs) > 0 {
			op.Install = true
		} else {
			op.Upgrade = true
		}
	case "dist-upgrade", "dup", "patch":
		op.Upgrade = true
	case "clean", "cc":
		op.Clean = true
	case "remove", "rm":
		op.Remove = true
	}
}

// pacman decodes pacman's operation letters: -S syncs (installs), with y
// refreshing the index, u upgrading everything and c cleaning the cache.
func (c *Cmd) pacman(op *PackageOp) {
	sync := false
	var letters string
	for _, a := range c.Args {
		if a == "--sync" {
			sync = true
		}
		if a == "--refresh" {
			letters += "y"
		}
		if a == "--sysupgrade" {
			letters += "u"
		}
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") {
			letters += a[1:]
		}
	}
	if strings.Contains(letters, "R") {
		op.Remove = true
	}
	if !sync && !strings.Contains(letters, "S") {
		op.Pkgs = c.Positionals()
		return
	}
	op.Sub = "-S"
	for i, a := range c.Args {
		if a == "--sync" || (strings.HasPrefix(a, "-S") && isLetters(a[1:])) {
			op.Sub, op.SubIndex = a, i
			break
		}
	}
	op.Pkgs = c.Positionals()
	op.Update = strings.Contains(letters, "y")
	op.Upgrade = strings.Contains(letters, "u")
	op.Install = len(op.Pkgs) > 0
	op.Clean = strings.Contains(letters, "c")
	if op.Clean {
		op.Install = false
	}
}

// YarnSubcommand returns yarn's subcommand and its index as Subcommand
// does, with a bare `yarn` read as "install" (index -1), which is what it
// runs, unless it only asks for the version or help ("", -1).
func (c *Cmd) YarnSubcommand(valued ...string) (string, int) {
	sub, i := c.Subcommand(valued...)
	if sub == "" {
		if c.HasFlag("--version", "-v", "--help", "-h") {
			return "", -1
		}
		return "install", -1
	}
	return sub, i
}

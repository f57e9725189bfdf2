package dockerfile

import (
	"strconv"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1809 flags package-manager commands that ask for confirmation and are
// not told to assume yes: apt-get/apt install, remove, upgrade and friends
// without -y (or -qq, --assume-yes, `-o APT::Get::Assume-Yes=true`),
// yum/dnf/tdnf without -y, zypper without -n/--non-interactive before the
// subcommand or -y/--no-confirm after it, and pacman without --noconfirm.
// A build has no terminal: the prompt reads end-of-file and the command
// aborts (or, for zypper and pacman, may wait forever). A pipe from `yes`
// answers the prompt and is accepted.
var DF1809 = &rule.Rule{
	ID:       "DF1809",
	Slug:     "missing-assume-yes",
	Title:    "Package install may wait for confirmation",
	Severity: rule.Medium,
	Category: rule.CatCorrectness,
	Rationale: "During `docker build` there is nobody to answer \"Do you want to continue? [Y/n]\". apt-get and yum read end-of-file " +
		"and abort (so does microdnf since EL9), so the build fails as soon as an install pulls in one extra dependency, typically months later when the " +
		"repository changes; zypper and pacman can hang until the CI job times out. Saying yes up front makes the step " +
		"non-interactive and reproducible.",
	Fix:   "Pass the non-interactive flag: `apt-get install -y`, `dnf install -y` (microdnf too), `yum install -y`, `zypper --non-interactive install`, `pacman -S --noconfirm`.",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get install curl",
	Good:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
	Peers: []rule.Peer{{Tool: "hadolint", ID: "DL3014"}, {Tool: "hadolint", ID: "DL3030"}, {Tool: "hadolint", ID: "DL3034"}, {Tool: "hadolint", ID: "DL3038"}, {Tool: "trivy", ID: "DS-0021"}, {Tool: "kics", ID: "77783205-c4ca-4f80-bb80-c777f267c547"}, {Tool: "kics", ID: "45e1fca5-f90e-465d-825f-c2cb63fa3944"}, {Tool: "kics", ID: "7ebd323c-31b7-4e5b-b26f-de5e9e477af8"}, {Tool: "kics", ID: "6e19193a-8753-436d-8a09-76dcff91bb03"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://github.com/hadolint/hadolint/wiki/DL3014",
		"https://github.com/hadolint/hadolint/wiki/DL3030",
		"https://github.com/hadolint/hadolint/wiki/DL3034",
		"https://github.com/hadolint/hadolint/wiki/DL3038",
	},
	Check: checkMissingAssumeYes,
}

var (
	aptPrompting = map[string]bool{"install": true, "remove": true, "purge": true, "upgrade": true, "dist-upgrade": true,
		"full-upgrade": true, "autoremove": true, "autopurge": true, "build-dep": true, "reinstall": true}
	rpmPrompting  = map[string]bool{"install": true, "in": true, "localinstall": true, "groupinstall": true, "reinstall": true, "rei": true, "remove": true, "rm": true, "erase": true, "update": true, "up": true, "upgrade": true, "update-to": true, "upgrade-to": true, "downgrade": true, "dg": true, "autoremove": true, "distro-sync": true, "dsync": true, "distrosync": true, "swap": true, "groupremove": true, "groupupdate": true}
	rpmGrouped    = map[string]bool{"group": true, "groups": true, "module": true}
	zypPrompting  = map[string]bool{"install": true, "in": true, "remove": true, "rm": true, "update": true, "up": true, "patch": true, "dist-upgrade": true, "dup": true, "source-install": true, "si": true, "install-new-recommends": true, "inr": true, "verify": true, "ve": true}
	pacmanOpFlags = "SRU"
)

func checkMissingAssumeYes(p *rule.Pass) error {
	for in := range fileOf(p).Runs() {
		for _, c := range in.Script.Unwrapped() {
			if c.PipePrev != nil && c.PipePrev.Name == "yes" {
				continue
			}
			if what := assumeYesMissing(c); what != "" {
				p.Report(rule.Finding{Message: what, Remedy: assumeYesRemedy(c), Location: rule.Location{Range: in.SpanTo(c)},
					Fixes: []rule.Fix{assumeYesFix(in, c)}})
			}
		}
	}
	return nil
}

// assumeYesMissing describes the missing flag for one command, or "".
func assumeYesMissing(c *df.Cmd) string {
	if c.HasFlag("--help", "-h", "--version") {
		return ""
	}
	// The subcommand is found past each tool's value-taking options, so
	// that `apt-get -o X=Y install` is still an install.
	op, _ := c.Package()
	switch c.Name {
	case "apt-get", "apt":
		sub := op.Sub
		if !aptPrompting[sub] || c.HasFlag("-y", "--yes", "--assume-yes") || aptQuietLevel(c) >= 2 || aptAssumeYesOption(c) ||
			c.HasFlag("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") {
			return ""
		}
		return c.Name + " " + sub + " without -y waits for a confirmation no one can give during the build"
	case "yum", "dnf", "tdnf", "dnf5", "microdnf":
		// microdnf assumed yes until the releases of EL9 (Oracle Linux 9,
		// UBI 9), which ask like dnf does.
		sub, i := op.Sub, op.SubIndex
		if rpmGrouped[sub] && i+1 < len(c.Args) {
			next := strings.ToLower(c.Args[i+1])
			if next == "install" || next == "remove" || next == "update" || next == "upgrade" || next == "enable" || next == "reset" || next == "switch-to" {
				sub += " " + next
			} else {
				return ""
			}
		} else if !rpmPrompting[sub] {
			return ""
		}
		if c.HasFlag("-y", "--assumeyes") || rpmAssumeYesOption(c) {
			return ""
		}
		return c.Name + " " + sub + " without -y waits for a confirmation no one can give during the build"
	case "zypper":
		sub, i := op.Sub, op.SubIndex
		if !zypPrompting[sub] {
			return ""
		}
		if hasFlagIn(c, 0, i, "-n", "--non-interactive") || hasFlagIn(c, i+1, -1, "-y", "--no-confirm") {
			return ""
		}
		return "zypper " + sub + " without --non-interactive (-n before the subcommand) can wait for an answer during the build"
	case "pacman":
		op := ""
		for _, a := range c.Args {
			if len(a) >= 2 && a[0] == '-' && a[1] != '-' && strings.ContainsAny(a[1:2], pacmanOpFlags) {
				op = a
				break
			}
			if a == "--sync" || a == "--remove" || a == "--upgrade" {
				op = a
				break
			}
		}
		if op == "" || c.HasFlag("--noconfirm") {
			return ""
		}
		// `pacman -Sy` only refreshes the package databases: nothing to confirm.
		if len(c.Positionals()) == 0 && !strings.Contains(op, "u") && op != "--upgrade" {
			return ""
		}
		// `pacman -Ss`, `-Si`, `-Sl`, `-Sg`, `-Qi` only query.
		if strings.HasPrefix(op, "-S") && !strings.HasPrefix(op, "--") && strings.ContainsAny(op[2:], "silgp") {
			return ""
		}
		return "pacman " + op + " without --noconfirm can wait for an answer during the build"
	}
	return ""
}

// aptQuietLevel adds up -q, -qq, -q=N, --quiet and --quiet=N; level 2 implies
// --assume-yes.
func aptQuietLevel(c *df.Cmd) int {
	n := 0
	for _, a := range c.Args {
		switch {
		case a == "--":
			return n
		case a == "--quiet":
			n++
		case strings.HasPrefix(a, "--quiet="):
			v, _ := strconv.Atoi(strings.TrimPrefix(a, "--quiet="))
			n += v
		case strings.HasPrefix(a, "-q="):
			v, _ := strconv.Atoi(strings.TrimPrefix(a, "-q="))
			n += v
		case len(a) > 1 && a[0] == '-' && a[1] != '-' && !strings.Contains(a, "="):
			n += strings.Count(a[1:], "q")
		}
	}
	return n
}

// aptAssumeYesOption recognises `-o APT::Get::Assume-Yes=true`.
func aptAssumeYesOption(c *df.Cmd) bool {
	for _, o := range c.AptOptions() {
		k, val, _ := strings.Cut(o.Value, "=")
		if strings.EqualFold(k, "APT::Get::Assume-Yes") && (strings.EqualFold(val, "true") || val == "1" || strings.EqualFold(val, "yes")) {
			return true
		}
	}
	return false
}

// rpmAssumeYesOption recognises `--setopt=assumeyes=1` (yum and dnf).
func rpmAssumeYesOption(c *df.Cmd) bool {
	for _, o := range c.Setopts() {
		k, val, _ := strings.Cut(o.Value, "=")
		if strings.EqualFold(k, "assumeyes") && (val == "1" || strings.EqualFold(val, "true") || strings.EqualFold(val, "yes")) {
			return true
		}
	}
	return false
}

// hasFlagIn is HasFlag restricted to the arguments in [from, to).
func hasFlagIn(c *df.Cmd, from, to int, flags ...string) bool {
	if from < 0 {
		from = 0
	}
	if to > len(c.Args) || to < 0 {
		to = len(c.Args)
	}
	if from >= to {
		return false
	}
	sub := *c
	sub.Args = c.Args[from:to]
	return sub.HasFlag(flags...)
}

// assumeYesRemedy names the flag of the command's own tool.
func assumeYesRemedy(c *df.Cmd) string {
	switch c.Name {
	case "zypper":
		return "Pass `-n` before the subcommand: `zypper -n ...` (or `--non-interactive`)."
	case "pacman":
		return "Add `--noconfirm` to the pacman command."
	}
	return "Add `-y` to the " + c.Name + " command."
}

// assumeYesFix adds the non-interactive flag to one command: `-y` after
// the subcommand of apt-get, apt and the dnf family (after both words of
// `dnf group install`), `-n` after zypper. A build that succeeded without
// it never reached a prompt, so the image is the same; a build that would
// have stopped at the prompt now goes on.
func assumeYesFix(in *df.Instruction, c *df.Cmd) rule.Fix {
	title := "add -y to " + c.Name
	op, _ := c.Package()
	switch c.Name {
	case "apt-get", "apt", "yum", "dnf", "tdnf", "dnf5", "microdnf":
		at := op.SubIndex
		if rpmGrouped[op.Sub] {
			at++
		}
		if at < 0 || at >= len(c.Args) {
			return refusal(title, "the subcommand is not a literal word")
		}
		line, col, ok := argEnd(in, c, at, c.Args[at])
		if !ok {
			return refusal(title, fixWhy(in, c))
		}
		return safeFix(title, insertAt(line, col, " -y"))
	case "zypper":
		title = "add -n (--non-interactive) to zypper"
		r, ok := progRange(in, c)
		if !ok {
			return refusal(title, fixWhy(in, c))
		}
		return safeFix(title, insertAt(r.Line, r.EndCol, " -n"))
	}
	return refusal(title, "no automatic fix for "+c.Name)
}

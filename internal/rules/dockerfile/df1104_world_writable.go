package dockerfile

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1104 reports files and directories made writable by every user:
// `chmod 777`, `chmod -R o+w`, `mkdir -m 777`, `install -m 666`, `umask 000`
// and `COPY/ADD --chmod=777`. Sticky-bit modes such as `1777` for shared
// temporary directories are the accepted exception, as are device nodes
// under /dev.
var DF1104 = &rule.Rule{
	ID:       "DF1104",
	Slug:     "world-writable",
	Title:    "Files or directories made world-writable",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "A world-writable file can be changed by any process in the container, whatever user it runs as. " +
		"An attacker who gains a foothold as an unprivileged or service account can then replace scripts, binaries or " +
		"configuration that a more privileged process later executes or trusts, which undoes the protection a non-root " +
		"USER gives. `chmod -R 777` is usually a shortcut around an ownership problem that `chown` or `COPY --chown` " +
		"solves properly.",
	Levels: []rule.Level{{Severity: rule.Low, When: "in a development or CI image (a dev container that lets its user " +
		"install SDK workloads), which is not deployed, and in a language or toolchain image that opens its toolchain to " +
		"whatever user builds with it (the rust image's CARGO_HOME)"}},
	Fix: "Give the files to the account that needs them (`COPY --chown=app`, `chown -R app /data`) and use modes such as " +
		"755/644 or 775/664 with a shared group. For shared scratch directories use the sticky bit (`chmod 1777`).",
	Bad:   "FROM debian:12-slim\nCOPY app /opt/app\nRUN chmod -R 777 /opt/app\nUSER 10001",
	Good:  "FROM debian:12-slim\nCOPY --chown=10001:0 --chmod=750 app /opt/app\nUSER 10001",
	Peers: []rule.Peer{},
	References: []string{
		"https://docs.docker.com/reference/dockerfile/#copy---chmod",
		"https://cwe.mitre.org/data/definitions/732.html",
		"https://www.gnu.org/software/coreutils/manual/html_node/Symbolic-Modes.html",
	},
	Check: checkWorldWritable,
}

// usrChmodOption matches chmod's own options, as opposed to a mode such as
// `-w` that happens to start with a dash.
var usrChmodOption = regexp.MustCompile(`^(--[a-z-]+(=.*)?|-[RcfvHLP]+)$`)

func checkWorldWritable(p *rule.Pass) error {
	for in, c := range fileOf(p).Commands() {
		usrCheckModes(p, in, c)
	}
	for _, st := range fileOf(p).Stages {
		for _, in := range st.Instructions {
			if in.Keyword != "COPY" && in.Keyword != "ADD" {
				continue
			}
			raw, ok := in.Flag("chmod")
			if !ok {
				continue
			}
			v, _ := in.Expand(raw)
			if m := usrParseMode(v); m.Known && m.OtherWrite && !m.Sticky {
				usrReportWritable(p, in.Locate("--chmod"), "%s --chmod=%s makes the copied files world-writable", in.Keyword, v)
			}
		}
	}
	return nil
}

// usrCheckModes reports one command that makes files world-writable.
func usrCheckModes(p *rule.Pass, in *df.Instruction, c *df.Cmd) {
	switch c.Name {
	case "chmod":
		usrCheckChmod(p, in, c)
	case "find", "xargs":
		// find ... -exec chmod 777 {} + and ... | xargs chmod 777 run
		// chmod on the paths they produce.
		for i, a := range c.Args {
			if path.Base(a) != "chmod" || (c.Name == "find" && (i == 0 || (c.Args[i-1] != "-exec" && c.Args[i-1] != "-execdir"))) {
				continue
			}
			sub := &df.Cmd{Name: "chmod", Range: c.Range, Stmt: c.Stmt, Seq: c.Seq}
			for _, b := range c.Args[i+1:] {
				if b == ";" || b == "+" {
					break
				}
				sub.Args = append(sub.Args, b)
			}
			usrCheckChmod(p, in, sub)
			break
		}
	case "mkdir", "install":
		mode, ok := c.NumericFlagValue("-m", "--mode")
		if !ok {
			return
		}
		mode = in.Resolve(mode)
		if m := usrParseMode(mode); m.Known && m.OtherWrite && !m.Sticky {
			targets := usrOpTargets(c.Args, mode)
			if c.Name == "install" && !c.HasFlag("-d", "--directory") && len(targets) > 1 {
				// install SRC... DEST: only the destination gets the mode.
				targets = targets[len(targets)-1:]
			}
			usrReportWritable(p, in.CmdRange(c), "%s -m %s creates world-writable %s", c.Name, mode, usrTargets(targets))
		}
	case "umask":
		pos := c.Positionals()
		if len(pos) != 1 {
			return
		}
		v := in.Resolve(pos[0])
		if m := usrParseMode(v); m.Known && strings.Trim(v, "01234567") == "" && !m.OtherWrite {
			// umask is a mask: others keep write permission when the
			// mask's "others write" bit is clear.
			usrReportWritable(p, in.CmdRange(c), "umask %s lets the files created later in this RUN be world-writable", v)
		}
	}
}

func usrCheckChmod(p *rule.Pass, in *df.Instruction, c *df.Cmd) {
	var mode string
	var files []string
	recursive := false
	for i, a := range c.Args {
		if a == "--" {
			if mode == "" && i+1 < len(c.Args) {
				mode, files = c.Args[i+1], c.Args[i+2:]
			} else {
				files = append(files, c.Args[i+1:]...)
			}
			break
		}
		if usrChmodOption.MatchString(a) {
			if a == "--recursive" || (!strings.HasPrefix(a, "--") && strings.Contains(a, "R")) {
				recursive = true
			}
			if strings.HasPrefix(a, "--reference") {
				return
			}
			continue
		}
		if mode == "" {
			mode = a
			continue
		}
		files = append(files, a)
	}
	if mode == "" {
		return
	}
	mode = in.Resolve(mode)
	m := usrParseMode(mode)
	if !m.Known || !m.OtherWrite || m.Sticky || usrAllDevices(files) || usrAllTemporary(in, c, files) {
		return
	}
	shown := make([]string, 0, len(files))
	for _, f := range files {
		if f != "{}" {
			shown = append(shown, in.Resolve(f))
		}
	}
	what := usrTargets(shown)
	if recursive {
		what += " and everything below"
	}
	usrReportWritable(p, in.CmdRange(c), "chmod %s makes %s world-writable", mode, what)
}

// usrOpTargets returns the operands of mkdir/install after their options.
func usrOpTargets(args []string, mode string) []string {
	var out []string
	skip := false
	for _, a := range args {
		switch {
		case skip:
			skip = false
		case a == "-m" || a == "--mode" || a == "-o" || a == "-g" || a == "--owner" || a == "--group" || a == "-t" || a == "-S":
			skip = true
		case strings.HasPrefix(a, "-"):
		case a == mode:
		default:
			out = append(out, a)
		}
	}
	return out
}

// usrAllDevices reports whether every path is a device node under /dev,
// which are world-writable by design (/dev/null, /dev/tty).
func usrAllDevices(files []string) bool {
	if len(files) == 0 {
		return false
	}
	for _, f := range files {
		if !strings.HasPrefix(f, "/dev/") {
			return false
		}
	}
	return true
}

// usrAllTemporary reports whether every path is scratch space of this RUN:
// a variable set from mktemp, or a path a later rm in the same RUN deletes.
// Such a directory never reaches the layer (nginx's official images make
// their apt repository directory 777 for the _apt user this way).
func usrAllTemporary(in *df.Instruction, c *df.Cmd, files []string) bool {
	if len(files) == 0 || in.Script == nil {
		return false
	}
	for _, f := range files {
		if !usrTemporary(in.Script, c, f) {
			return false
		}
	}
	return true
}

func usrTemporary(s *df.Script, c *df.Cmd, f string) bool {
	name := strings.Trim(f, "${}")
	if strings.HasPrefix(f, "$") && !strings.ContainsAny(name, "/$") {
		for _, x := range s.Commands {
			if v, ok := x.Assigns[name]; ok && strings.Contains(v, "mktemp") {
				return true
			}
		}
	}
	for _, x := range s.Commands {
		if x.Seq <= c.Seq || x.Name != "rm" {
			continue
		}
		for _, a := range x.Positionals() {
			a = strings.TrimSuffix(a, "/")
			if a != "" && (a == strings.TrimSuffix(f, "/") || strings.HasPrefix(f, a+"/")) {
				return true
			}
		}
	}
	return false
}

// usrTargets renders a short list of paths for a message.
func usrTargets(files []string) string {
	switch {
	case len(files) == 0:
		return "the selected files"
	case len(files) > 3:
		return strings.Join(files[:3], ", ") + " and more"
	}
	return strings.Join(files, ", ")
}

// usrMode describes what a chmod-style mode does to the "others" class.
type usrMode struct {
	// Known is false when the mode could not be read (a variable, a
	// --reference, garbage).
	Known bool
	// OtherWrite is true when the mode grants write permission to others.
	OtherWrite bool
	// Sticky is true when the mode sets the sticky bit, which makes a
	// world-writable directory safe to share (/tmp).
	Sticky bool
}

// usrParseMode reads an octal (`0777`, `1777`) or symbolic (`o+w`,
// `a=rwx,u+s`) mode. A symbolic clause with no who letters (`+w`) is
// filtered by the umask, 022 in a build, so it does not reach others.
func usrParseMode(m string) usrMode {
	m = strings.TrimSpace(m)
	if m == "" {
		return usrMode{}
	}
	if n, err := strconv.ParseUint(m, 8, 32); err == nil && len(m) <= 5 {
		return usrMode{Known: true, OtherWrite: n&0o002 != 0, Sticky: n&0o1000 != 0}
	}
	var res usrMode
	for _, clause := range strings.Split(m, ",") {
		i := 0
		for i < len(clause) && strings.ContainsRune("ugoa", rune(clause[i])) {
			i++
		}
		who := clause[:i]
		others := strings.ContainsAny(who, "oa")
		rest := clause[i:]
		if rest == "" {
			return usrMode{}
		}
		for rest != "" {
			op := rest[0]
			if op != '+' && op != '-' && op != '=' {
				return usrMode{}
			}
			j := 1
			for j < len(rest) && strings.ContainsRune("rwxXstugo", rune(rest[j])) {
				j++
			}
			perms := rest[1:j]
			rest = rest[j:]
			if strings.ContainsRune(perms, 't') && op != '-' {
				res.Sticky = true
			}
			if !others {
				continue
			}
			switch {
			case op != '-' && strings.ContainsRune(perms, 'w'):
				res.OtherWrite = true
			case op == '=' || (op == '-' && strings.ContainsRune(perms, 'w')):
				res.OtherWrite = false
			}
		}
	}
	res.Known = true
	return res
}

// usrReportWritable reports a world-writable path, at low severity in a
// development or CI image and in a toolchain image.
func usrReportWritable(p *rule.Pass, r loc.Range, format string, args ...any) {
	f := rule.Finding{Message: fmt.Sprintf(format, args...), Location: rule.Location{Range: r}}
	if t := fileOf(p).Target; usrDevImage(p) || (t != nil && t.ToolchainPurpose() != "") {
		f.Severity = rule.Low
	}
	p.Report(f)
}

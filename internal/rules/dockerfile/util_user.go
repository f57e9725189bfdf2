package dockerfile

import (
	"path"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds the helpers of the user group (DF1100-DF1106, DF1900,
// DF1901). Their names start with usr so that they cannot collide with the
// helpers of other rule groups in the same package.

// usrChain returns s followed by the earlier stages it is built FROM,
// nearest first. Settings such as USER and HEALTHCHECK are inherited along
// this chain, so it is what "the final image" means for a Dockerfile.
func usrChain(s *df.Stage) []*df.Stage {
	var out []*df.Stage
	seen := map[*df.Stage]bool{}
	for ; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// usrLast returns the last instruction with keyword kw that is in force at
// the end of s, looking through the stages s is built FROM.
func usrLast(s *df.Stage, kw string) *df.Instruction {
	for _, st := range usrChain(s) {
		if ins := st.ByKeyword(kw); len(ins) > 0 {
			return ins[len(ins)-1]
		}
	}
	return nil
}

// usrUserAt returns the USER instruction in force when in runs, or nil when
// the stage chain has set none before it.
func usrUserAt(in *df.Instruction) *df.Instruction {
	if in.Stage == nil {
		return nil
	}
	var last *df.Instruction
	for _, x := range in.Stage.Instructions {
		if x == in {
			break
		}
		if x.Keyword == "USER" {
			last = x
		}
	}
	if last != nil {
		return last
	}
	return usrLast(in.Stage.BaseStage, "USER")
}

// usrUser returns the user and group a USER instruction names, with build
// arguments and ENV values substituted, and the argument as written.
func usrUser(in *df.Instruction) (user, group, raw string) {
	if in == nil || len(in.Args) == 0 {
		return "", "", ""
	}
	raw = in.Args[0]
	if c, ok := in.Command.(*instructions.UserCommand); ok && c.User != "" {
		raw = c.User
	}
	v, _ := in.Expand(raw)
	user, group, _ = strings.Cut(strings.TrimSpace(v), ":")
	return user, group, raw
}

// usrIsRoot reports whether a user name or UID means the superuser. On
// Windows the administrator account plays that part.
func usrIsRoot(user string, windows bool) bool {
	u := strings.TrimSpace(user)
	if u == "root" {
		return true
	}
	if n, err := strconv.Atoi(u); err == nil && n == 0 && !strings.HasPrefix(u, "-") {
		return true
	}
	if windows {
		switch strings.ToLower(u) {
		case "containeradministrator", "administrator", "nt authority\\system":
			return true
		}
	}
	return false
}

// usrDefaultNonRootImages are base images whose configuration already
// names a non-root user, so a Dockerfile built on them need not repeat it.
var usrDefaultNonRootImages = []string{
	"gcr.io/distroless/*:nonroot",
	"gcr.io/distroless/*:*-nonroot",
	"gcr.io/distroless/*:nonroot-*",
	"*:*-nonroot",
	"cgr.dev/chainguard/*",
	"!cgr.dev/chainguard/wolfi-base*",
	"mcr.microsoft.com/dotnet/*:*-chiseled*",
	"mcr.microsoft.com/dotnet/*:*-distroless*",
	"mcr.microsoft.com/windows/nanoserver*",
	"quay.io/jupyter/*",
	"jupyter/*",
	"jenkins/jenkins*",
	"jenkins/agent*",
	"jenkins/inbound-agent*",
}

// usrNonRootBaseSetting is the setting that lists such images.
var usrNonRootBaseSetting = rule.Setting{
	Name:    "non-root-base-images",
	Type:    "strings",
	Default: usrDefaultNonRootImages,
	Doc: "Base image patterns (`*` matches any text, a leading `!` excludes) whose image configuration " +
		"already runs as a non-root user; a final stage built on one needs no USER of its own.",
}

// usrNonRootBase reports whether the image at the root of s's chain is
// known to run as a non-root user by default.
func usrNonRootBase(p *rule.Pass, s *df.Stage) bool {
	root := s.Root()
	ref := strings.ToLower(root.Base)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	if ref == "" || ref == "scratch" {
		return false
	}
	match := false
	for _, pat := range p.Settings.Strings(usrNonRootBaseSetting.Name) {
		pat = strings.ToLower(strings.TrimSpace(pat))
		neg := strings.HasPrefix(pat, "!")
		pat = strings.TrimPrefix(pat, "!")
		if pat == "" || !usrGlob(pat, ref) {
			continue
		}
		if neg {
			return false
		}
		match = true
	}
	return match
}

// usrGlob matches s against a pattern in which `*` stands for any text,
// slashes included (image references are not file paths).
func usrGlob(pat, s string) bool {
	parts := strings.Split(pat, "*")
	if len(parts) == 1 {
		return pat == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// usrStageDesc names a stage for messages: its alias or index and its base.
func usrStageDesc(s *df.Stage) string {
	name := s.Label()
	if s.Name != "" {
		name = strconv.Quote(s.NameAsWritten)
		if s.NameAsWritten == "" {
			name = strconv.Quote(s.Name)
		}
	}
	base := s.BaseName
	if s.Base != "" {
		base = s.Base
	}
	if base == "" {
		return name
	}
	return name + " (FROM " + base + ")"
}

// usrIsScratch reports whether the chain of s starts from the empty image.
func usrIsScratch(s *df.Stage) bool {
	return strings.EqualFold(s.Root().Base, "scratch")
}

// usrRunsSomething reports whether the stage chain can start a process:
// it sets CMD or ENTRYPOINT, or starts from an image that may. A scratch
// chain without either is an artifact export (`docker build -o`), never run.
func usrRunsSomething(s *df.Stage) bool {
	if !usrIsScratch(s) {
		return true
	}
	return usrLast(s, "CMD") != nil || usrLast(s, "ENTRYPOINT") != nil
}

// usrPrivDropTools are programs an entrypoint uses to step down from root.
var usrPrivDropTools = map[string]bool{"gosu": true, "su-exec": true, "setpriv": true, "chpst": true, "s6-setuidgid": true}

// usrPrivDrop returns the privilege-dropping tool the stage chain installs
// or runs (gosu, su-exec, ...), or "". Images such as the official database
// images start as root on purpose and switch users in their entrypoint.
func usrPrivDrop(s *df.Stage) string {
	hit := func(words []string) string {
		for _, w := range words {
			b := path.Base(strings.Trim(w, `"'`))
			b, _, _ = strings.Cut(b, "=")
			if usrPrivDropTools[b] {
				return b
			}
		}
		return ""
	}
	for _, st := range usrChain(s) {
		for _, in := range st.Instructions {
			switch in.Keyword {
			case "RUN":
				if in.Script == nil {
					continue
				}
				for _, c := range in.Script.Commands {
					for _, w := range c.Wrappers {
						if usrPrivDropTools[w] {
							return w
						}
					}
					if t := hit(append([]string{c.Name}, c.Args...)); t != "" {
						return t
					}
				}
			case "COPY", "ADD", "ENTRYPOINT", "CMD":
				if t := hit(in.Args); t != "" {
					return t
				}
			}
		}
	}
	return ""
}

// usrCmds calls fn for every command of every RUN in the file, skipping
// Windows stages whose scripts are not shell.
func usrCmds(p *rule.Pass, fn func(in *df.Instruction, c *df.Cmd)) {
	for _, st := range fileOf(p).Stages {
		if st.Windows {
			continue
		}
		for _, in := range st.Instructions {
			if in.Keyword != "RUN" || in.Script == nil {
				continue
			}
			for _, c := range in.Script.Commands {
				fn(in, c)
			}
		}
	}
}

// usrCmdRange is where a finding about a command sits: the command itself,
// or the RUN's first line when the command's column is unknown (inside
// `sh -c` strings and heredocs the line is still exact).
func usrCmdRange(in *df.Instruction, c *df.Cmd) loc.Range {
	r := c.Range
	if r.Line == 0 {
		return in.Start()
	}
	if r.Col > 0 && c.Stmt != nil && c.Path != "" && len(c.Wrappers) == 0 {
		r.EndCol = r.Col + len(c.Path)
	}
	return r
}

// usrResolve substitutes ARG/ENV references in one word of a RUN, as the
// shell would see them when the variable comes from the Dockerfile.
func usrResolve(in *df.Instruction, w string) string {
	if !strings.Contains(w, "$") {
		return w
	}
	v, unmatched := in.Expand(w)
	if len(unmatched) > 0 {
		return w
	}
	return v
}

// usrLocateWord finds a whole whitespace-delimited word in an
// instruction's source, so that `22` is not found inside `2222`.
func usrLocateWord(in *df.Instruction, file *df.File, word string) loc.Range {
	return in.LocateWord(word)
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

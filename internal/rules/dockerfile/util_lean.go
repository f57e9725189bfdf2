package dockerfile

import (
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds the helpers of the lean-layers group (DF1600-DF1608,
// DF1700). Their names start with lean so that they cannot collide with the
// helpers of other rule groups in the same package.

// leanShipped returns the stages whose layers end up in an image someone
// runs: the target stage and the stages it is built FROM. When no --target
// was chosen (the target is the last stage), stages that nothing else reads
// from are treated as alternative targets too, together with their FROM
// chains. Stages only read through COPY --from or RUN --mount from= are
// build stages: what they leave behind never ships.
func leanShipped(f *df.File) map[*df.Stage]bool {
	out := map[*df.Stage]bool{}
	if f == nil || f.Target == nil {
		return out
	}
	roots := []*df.Stage{f.Target}
	if len(f.Stages) > 0 && f.Target == f.Stages[len(f.Stages)-1] {
		used := map[*df.Stage]bool{}
		for _, s := range f.Stages {
			for _, d := range s.DependsOn {
				if d != s {
					used[d] = true
				}
			}
		}
		for _, s := range f.Stages {
			if !used[s] {
				roots = append(roots, s)
			}
		}
	}
	for _, r := range roots {
		for s := r; s != nil && !out[s]; s = s.BaseStage {
			out[s] = true
		}
	}
	return out
}

// leanRuns calls fn for every RUN with a shell model in the stages selected
// by keep (all stages when keep is nil). Windows stages are skipped: their
// scripts are not modelled.
func leanRuns(p *rule.Pass, keep map[*df.Stage]bool, fn func(in *df.Instruction)) {
	for _, s := range fileOf(p).Stages {
		if s.Windows || (keep != nil && !keep[s]) {
			continue
		}
		for _, in := range s.Instructions {
			if in.Keyword == "RUN" && in.Script != nil {
				fn(in)
			}
		}
	}
}

// leanVarRef finds $NAME and ${NAME...} references in one argument.
var leanVarRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// leanExpand returns a copy of c with ARG/ENV references in its arguments
// substituted, and whether some argument stayed unknown (a shell variable,
// a declared ARG without a value, a command substitution). An argument
// that is only a variable reference is split into words, as the shell does.
func leanExpand(in *df.Instruction, c *df.Cmd) (*df.Cmd, bool) {
	x := *c
	x.Args = make([]string, 0, len(c.Args))
	unknown := false
	for _, a := range c.Args {
		if !strings.ContainsAny(a, "$`") {
			x.Args = append(x.Args, a)
			continue
		}
		v, ok := leanExpandWord(in, a)
		if !ok {
			unknown = true
			x.Args = append(x.Args, a)
			continue
		}
		if leanWholeVar(a) {
			x.Args = append(x.Args, strings.Fields(v)...)
		} else {
			x.Args = append(x.Args, v)
		}
	}
	return &x, unknown
}

// leanExpandWord substitutes the build variables in one shell word and
// reports whether every reference was known.
func leanExpandWord(in *df.Instruction, a string) (string, bool) {
	if !strings.ContainsAny(a, "$`") {
		return a, true
	}
	if strings.Contains(a, "$(") || strings.Contains(a, "`") {
		return a, false
	}
	for _, m := range leanVarRef.FindAllStringSubmatch(a, -1) {
		v, ok := in.Vars.Lookup(m[1])
		if !ok || !v.HasValue {
			return a, false
		}
	}
	v, unmatched := in.Expand(a)
	return v, len(unmatched) == 0
}

func leanWholeVar(a string) bool {
	m := leanVarRef.FindStringIndex(a)
	if m == nil || m[0] != 0 {
		return false
	}
	rest := a[m[1]:]
	return rest == "" || (strings.HasPrefix(a, "${") && strings.HasSuffix(rest, "}") && !strings.Contains(rest[:len(rest)-1], "}"))
}

// leanHome maps a path written relative to a home directory (~/x,
// $HOME/x, /root/x, /home/u/x) to "~/x".
func leanHome(p string) string {
	for _, pre := range []string{"~/", "$HOME/", "${HOME}/", "/root/"} {
		if strings.HasPrefix(p, pre) {
			return "~/" + strings.TrimPrefix(p, pre)
		}
	}
	switch p {
	case "~", "$HOME", "${HOME}", "/root":
		return "~"
	}
	if rest, ok := strings.CutPrefix(p, "/home/"); ok {
		if _, tail, ok := strings.Cut(rest, "/"); ok {
			return "~/" + tail
		}
		return "~"
	}
	return p
}

// leanClean normalises a path for comparison: home directories folded to
// "~", duplicate and trailing slashes removed.
func leanClean(p string) string {
	p = leanHome(p)
	if p == "" {
		return ""
	}
	c := path.Clean(p)
	if c == "." {
		return ""
	}
	return c
}

// leanCovers reports whether removing (or mounting over) pattern takes
// away the directory or file p or everything inside it: pattern is p itself,
// a parent of p, p/* (or another glob over p's entries), or a glob that
// matches p.
func leanCovers(pattern, p string) bool {
	pattern, p = leanClean(pattern), leanClean(p)
	if pattern == "" || p == "" {
		return false
	}
	if pattern == p || strings.HasPrefix(p, pattern+"/") {
		return true
	}
	if !strings.ContainsAny(pattern, "*?[") {
		return false
	}
	// A glob directly over p's entries (p/*, p/*.gz) empties p as far as
	// the cache is concerned.
	if dir := path.Dir(pattern); dir == p && !strings.ContainsAny(dir, "*?[") {
		return true
	}
	// A glob naming p or a parent of p.
	for q := p; q != "/" && q != "." && q != "~"; q = path.Dir(q) {
		if ok, _ := path.Match(pattern, q); ok {
			return true
		}
	}
	return false
}

// leanRemoves reports whether the RUN deletes one of the paths (or their
// contents) with rm or find -delete.
func leanRemoves(in *df.Instruction, paths ...string) bool {
	for _, c := range in.Script.Commands {
		for _, t := range leanRemovedPaths(in, c) {
			for _, p := range paths {
				if leanCovers(t, p) {
					return true
				}
			}
		}
	}
	return false
}

// leanRemovedPaths returns the paths a command deletes (rm operands, the
// start directory of find ... -delete / -exec rm), variables substituted
// where known.
func leanRemovedPaths(in *df.Instruction, c *df.Cmd) []string {
	var raw []string
	switch c.Name {
	case "rm", "rmdir":
		raw = c.Positionals()
	case "find":
		del := false
		for i, a := range c.Args {
			if a == "-delete" || (a == "-exec" && i+1 < len(c.Args) && path.Base(c.Args[i+1]) == "rm") {
				del = true
			}
		}
		if del {
			for _, a := range c.Args {
				if strings.HasPrefix(a, "-") || a == "(" || a == "!" {
					break
				}
				raw = append(raw, a)
			}
		}
	}
	var out []string
	for _, a := range raw {
		if v, ok := leanExpandWord(in, a); ok {
			out = append(out, v)
		} else if strings.HasPrefix(a, "$HOME") || strings.HasPrefix(a, "${HOME}") {
			out = append(out, a)
		}
	}
	return out
}

// leanMounted reports whether one of the paths lies on a cache or tmpfs
// mount of the RUN, so that nothing written there reaches the layer.
func leanMounted(in *df.Instruction, paths ...string) bool {
	for _, m := range in.Script.Mounts {
		if m.Type != instructions.MountTypeCache && m.Type != instructions.MountTypeTmpfs {
			continue
		}
		for _, p := range paths {
			if leanCovers(m.Target, p) {
				return true
			}
		}
	}
	return false
}

// leanRedirectTargets returns the files a command's statement writes with
// > or >>, and the files it pipes into tee.
func leanRedirectTargets(c *df.Cmd) []string {
	var out []string
	if c.Stmt != nil {
		for _, r := range c.Stmt.Redirs {
			if (r.Op == syntax.RdrOut || r.Op == syntax.AppOut || r.Op == syntax.RdrAll || r.Op == syntax.AppAll || r.Op == syntax.ClbOut) && r.Word != nil && r.N == nil {
				if lit := r.Word.Lit(); lit != "" {
					out = append(out, lit)
				} else if len(r.Word.Parts) > 0 {
					var b strings.Builder
					if err := syntax.NewPrinter().Print(&b, r.Word); err == nil {
						out = append(out, strings.Trim(b.String(), `"'`))
					}
				}
			}
		}
	}
	if n := c.PipeNext; n != nil && n.Name == "tee" {
		out = append(out, n.Positionals()...)
	}
	return out
}

// leanNeutral are commands that neither install nor change files, so a RUN
// made of them and an index update does nothing but the update.
var leanNeutral = map[string]bool{"set": true, "echo": true, "printf": true, "true": true, ":": true, "export": true}

// leanAptListsGone reports whether the RUN deletes the apt lists (rm, find
// -delete, or apt-get dist-clean, which apt 2.7 added for exactly this) or
// keeps them on a cache or tmpfs mount.
func leanAptListsGone(in *df.Instruction) bool {
	for _, c := range in.Script.Commands {
		if op, ok := c.Package(); ok && op.Family == df.FamilyApt && op.Sub == "dist-clean" {
			return true
		}
	}
	return leanRemoves(in, "/var/lib/apt/lists") || leanMounted(in, "/var/lib/apt/lists")
}

// leanYarnSub returns the yarn subcommand, "install" for a bare `yarn`
// (which installs) unless it only asks for the version or help.
func leanYarnSub(c *df.Cmd, valued ...string) (string, int) {
	sub, i := c.Subcommand(valued...)
	if sub == "" {
		if c.HasFlag("--version", "-v", "--help", "-h") {
			return "", -1
		}
		return "install", -1
	}
	return sub, i
}

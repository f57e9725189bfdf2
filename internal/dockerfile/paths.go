package dockerfile

import (
	"path"
	"strings"
)

// HomePath maps a path written relative to a home directory (~/x, $HOME/x,
// ${HOME}/x, /root/x, /home/u/x) to "~/x", so that the many spellings of a
// per-user cache compare equal; other paths are returned unchanged.
func HomePath(p string) string {
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

// CleanPath normalises a path for comparison: home directories folded to
// "~" (see HomePath), duplicate and trailing slashes removed; "" for an
// empty path or ".".
func CleanPath(p string) string {
	p = HomePath(p)
	if p == "" {
		return ""
	}
	c := path.Clean(p)
	if c == "." {
		return ""
	}
	return c
}

// PathCovers reports whether deleting (or mounting over) pattern takes away
// the file or directory p or everything inside it: pattern is p itself, a
// parent of p, a glob over p's entries (p/*, p/*.gz), or a glob that
// matches p or one of its parents. Both are compared after CleanPath.
func PathCovers(pattern, p string) bool {
	pattern, p = CleanPath(pattern), CleanPath(p)
	if pattern == "" || p == "" {
		return false
	}
	if pattern == p || strings.HasPrefix(p, pattern+"/") {
		return true
	}
	if !strings.ContainsAny(pattern, "*?[") {
		return false
	}
	if dir := path.Dir(pattern); dir == p && !strings.ContainsAny(dir, "*?[") {
		return true
	}
	for q := p; q != "/" && q != "." && q != "~"; q = path.Dir(q) {
		if ok, _ := path.Match(pattern, q); ok {
			return true
		}
	}
	return false
}

// DeletedPaths returns the paths a command of the RUN in deletes: the
// operands of rm and rmdir, and the start directories of `find ...
// -delete` or `find ... -exec rm`, with ARG/ENV values substituted where
// they are known (unknown ones are dropped, $HOME ones kept for HomePath).
func (in *Instruction) DeletedPaths(c *Cmd) []string {
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
		if v, ok := in.ExpandKnown(a); ok {
			out = append(out, v)
		} else if strings.HasPrefix(a, "$HOME") || strings.HasPrefix(a, "${HOME}") {
			out = append(out, a)
		}
	}
	return out
}

// Deletes reports whether the RUN deletes one of the paths, or everything
// in it, with one of its commands (see DeletedPaths and PathCovers).
func (in *Instruction) Deletes(paths ...string) bool {
	if in.Script == nil {
		return false
	}
	for _, c := range in.Script.Commands {
		for _, t := range in.DeletedPaths(c) {
			for _, p := range paths {
				if PathCovers(t, p) {
					return true
				}
			}
		}
	}
	return false
}

// Mounted reports whether one of the paths lies on a cache or tmpfs mount
// of the RUN, so that nothing written there reaches the layer.
func (s *Script) Mounted(paths ...string) bool {
	for _, t := range s.CacheMountTargets() {
		for _, p := range paths {
			if PathCovers(t, p) {
				return true
			}
		}
	}
	return false
}

// Discards reports whether what the RUN writes under one of the paths stays
// out of its layer: the RUN deletes it (Deletes) or it lies on a cache or
// tmpfs mount (Script.Mounted).
func (in *Instruction) Discards(paths ...string) bool {
	return in.Deletes(paths...) || (in.Script != nil && in.Script.Mounted(paths...))
}

// IsURL reports whether s is a remote http(s) or ftp URL, as an ADD source
// or a download argument.
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ftp://")
}

// IsGitRef reports whether an ADD source names a Git repository, the way
// BuildKit recognises one.
func IsGitRef(s string) bool {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "git://") || strings.HasPrefix(l, "git@") || strings.HasPrefix(l, "ssh://") || strings.HasPrefix(l, "git+") {
		return true
	}
	if IsURL(l) {
		u, _, _ := strings.Cut(l, "#")
		u, _, _ = strings.Cut(u, "?")
		return strings.HasSuffix(u, ".git") || strings.HasSuffix(u, ".git/")
	}
	return false
}

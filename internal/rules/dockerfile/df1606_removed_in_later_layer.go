package dockerfile

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1606 catches a RUN that deletes files an earlier instruction of the
// same image wrote: a download (wget -O, curl -o, git clone), a file
// written with a redirect, a COPY/ADD destination, or a package manager's
// index and cache (apt-get update followed by a later rm of
// /var/lib/apt/lists, yum install followed by a later yum clean all). The
// earlier layer keeps every byte; the deletion only hides them.
var DF1606 = &rule.Rule{
	ID:       "DF1606",
	Slug:     "removed-in-later-layer",
	Title:    "Files deleted in a later layer than the one that added them",
	Severity: rule.Medium,
	Category: rule.CatLean,
	Rationale: "Image layers are additive: deleting a file in a later RUN writes a whiteout entry that hides it, while the earlier " +
		"layer still carries the file and is still pulled, stored and scanned. Archives, source trees and package caches cleaned up " +
		"this way cost their full size, and anything sensitive in them stays recoverable from the image with `docker save`.",
	Levels: []rule.Level{{Severity: rule.Low, When: "when every deleted file was copied from the build context, whose " +
		"files the author has anyway"}},
	Fix: "Delete the files in the same RUN that creates them (download, use and `rm` in one RUN), use a bind or cache mount " +
		"(`RUN --mount=type=bind,...`) instead of COPY for build inputs, or do the work in a build stage and COPY --from only the result.",
	Bad:  "FROM debian:12\nRUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt\nRUN rm /tmp/tool.tgz",
	Good: "FROM debian:12\nRUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz \\\n && tar -xzf /tmp/tool.tgz -C /opt \\\n && rm /tmp/tool.tgz",
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers",
		"https://docs.docker.com/get-started/docker-concepts/building-images/understanding-image-layers/",
		"https://docs.docker.com/build/building/multi-stage/",
	},
	Peers: []rule.Peer{},
	// The apt lists a RUN kept (DF1601) and deleted here are one problem.
	Subsumes: []rule.Subsumption{{IDs: []string{"DF1601"}, Same: rule.SameSubject}},
	Check:    checkRemovedLater,
}

// leanEntry is a path an instruction put into a layer.
type leanEntry struct {
	path string
	in   *df.Instruction
	// what describes how it got there, for messages.
	what string
	// local is true for files copied from the build context, which are
	// usually small scripts: such findings are reported at low severity.
	local bool
}

// leanFS is what the rule knows about a stage's filesystem: the tracked
// entries and the working directory ("" when unknown).
type leanFS struct {
	entries []leanEntry
	cwd     string
}

func checkRemovedLater(p *rule.Pass) error {
	end := map[*df.Stage]*leanFS{}
	for _, s := range fileOf(p).Stages {
		st := &leanFS{}
		if b := end[s.BaseStage]; s.BaseStage != nil && b != nil {
			st.entries = append(st.entries, b.entries...)
			st.cwd = b.cwd
		}
		end[s] = st
		if s.Windows {
			continue
		}
		for _, in := range s.Instructions {
			switch in.Keyword {
			case "WORKDIR":
				if len(in.Args) > 0 {
					v, unmatched := in.Expand(in.Args[0])
					st.cwd = leanResolve(v, st.cwd)
					if len(unmatched) > 0 {
						st.cwd = ""
					}
				}
			case "COPY", "ADD":
				st.entries = append(st.entries, leanCopied(in, st.cwd)...)
			case "RUN":
				if in.Script != nil {
					leanTrackRun(p, in, st, s.Ships)
				}
			}
		}
	}
	return nil
}

// leanTrackRun walks one RUN's commands in order: deletions are matched
// against what earlier layers wrote (reported) and what this RUN wrote
// (fine), then the command's own writes are recorded.
func leanTrackRun(p *rule.Pass, in *df.Instruction, st *leanFS, report bool) {
	cwd := st.cwd
	var fresh []leanEntry
	type hit struct {
		how string
		e   leanEntry
	}
	var hits []hit
	for _, c := range in.Script.Commands {
		if c.Name == "cd" {
			if ps := c.Positionals(); len(ps) == 1 {
				if v, ok := in.ExpandKnown(ps[0]); ok {
					cwd = leanResolve(v, cwd)
				} else {
					cwd = ""
				}
			}
			continue
		}
		removed, how := leanDeleted(in, c)
		for _, r := range removed {
			abs := leanResolve(r, cwd)
			if abs == "" || in.Script.Mounted(abs) {
				continue
			}
			fromThisRun := false
			keep := fresh[:0]
			for _, e := range fresh {
				if df.PathCovers(abs, e.path) {
					fromThisRun = true
					continue
				}
				keep = append(keep, e)
			}
			fresh = keep
			rest := make([]leanEntry, 0, len(st.entries))
			for _, e := range st.entries {
				if !df.PathCovers(abs, e.path) {
					rest = append(rest, e)
				} else if !fromThisRun {
					hits = append(hits, hit{how, e})
				}
			}
			st.entries = rest
		}
		for _, w := range leanWritten(in, c, cwd) {
			if w.path != "" && !in.Script.Mounted(w.path) {
				w.in = in
				fresh = append(fresh, w)
			}
		}
	}
	st.entries = append(st.entries, fresh...)
	if !report || len(hits) == 0 {
		return
	}
	sev := rule.Low
	for _, h := range hits {
		if !h.e.local {
			sev = rule.Medium
		}
	}
	h := hits[0]
	msg := fmt.Sprintf("`%s` deletes %s, which %s at line %d added; the bytes stay in that earlier layer", h.how, leanShow(h.e.path), h.e.what, h.e.in.Range.Line)
	if n := len(hits) - 1; n == 1 {
		msg += " (and 1 more path)"
	} else if n > 1 {
		msg += fmt.Sprintf(" (and %d more paths)", n)
	}
	f := rule.Finding{Message: msg, Severity: sev, Location: rule.Location{Range: in.Start()}}
	for _, h := range hits {
		if fam := leanIndexFamily(h.e.path); fam != "" {
			f.Subject = leanIndexSubject(fam, h.e.in.Range.Line)
			break
		}
	}
	p.Report(f)
}

// leanIndexFamily names the package manager whose index or cache lives at
// p, the directories DF1600 and DF1601 speak of; "" for other paths.
func leanIndexFamily(p string) string {
	switch {
	case p == "/var/lib/apt/lists":
		return df.FamilyApt
	case p == "/var/cache/apk":
		return df.FamilyApk
	case slices.Contains(leanRPMCaches, p):
		return df.FamilyRPM
	case slices.Contains(leanZypperCaches, p):
		return df.FamilyZypper
	}
	return ""
}

// leanShow renders a tracked path for messages.
func leanShow(p string) string {
	if strings.HasPrefix(p, "~") {
		return "$HOME" + strings.TrimPrefix(p, "~")
	}
	return p
}

// leanResolve makes p absolute against the working directory cwd; it
// returns "" when p is relative and cwd is unknown.
func leanResolve(p, cwd string) string {
	if p == "" {
		return ""
	}
	h := df.HomePath(p)
	if strings.HasPrefix(h, "/") || strings.HasPrefix(h, "~") {
		return df.CleanPath(h)
	}
	if strings.HasPrefix(p, "$") || cwd == "" {
		return ""
	}
	return df.CleanPath(path.Join(cwd, p))
}

// leanDeleted returns what a command deletes and how to name the command:
// rm and find -delete operands, and the caches that a package manager's
// clean-up empties.
func leanDeleted(in *df.Instruction, c *df.Cmd) ([]string, string) {
	if ps := in.DeletedPaths(c); len(ps) > 0 {
		return ps, leanShort(c)
	}
	if op, ok := c.Package(); ok && op.Clean {
		switch op.Family {
		case df.FamilyRPM:
			return leanRPMCaches, op.Tool + " clean " + strings.Join(op.Pkgs, " ")
		case df.FamilyZypper:
			return leanZypperCaches, "zypper " + op.Sub
		case df.FamilyPacman:
			return leanPacmanCaches, "pacman " + op.Sub
		case df.FamilyApt:
			if op.Sub == "dist-clean" {
				return []string{"/var/lib/apt/lists"}, op.Tool + " dist-clean"
			}
		}
	}
	if sub, i := c.Subcommand(); sub == "cache" && i >= 0 {
		rest := c.OperandsAfter(i)
		switch {
		case c.Name == "npm" && len(rest) > 0 && rest[0] == "clean":
			return leanNpmCaches, "npm cache clean"
		case leanPipName.MatchString(c.Name) && len(rest) > 0 && rest[0] == "purge":
			return []string{"~/.cache/pip"}, c.Name + " cache purge"
		case c.Name == "yarn" && len(rest) > 0 && rest[0] == "clean":
			return leanYarnCaches, "yarn cache clean"
		}
	}
	return nil, ""
}

// leanWritten returns the paths a command writes that the rule tracks.
func leanWritten(in *df.Instruction, c *df.Cmd, cwd string) []leanEntry {
	var out []leanEntry
	add := func(p, what string) {
		if a := leanResolve(p, cwd); a != "" && a != "/" && !strings.HasPrefix(a, "/dev/") && !strings.HasPrefix(a, "/proc/") {
			out = append(out, leanEntry{path: a, what: what})
		}
	}
	for _, t := range c.Writes() {
		if v, ok := in.ExpandKnown(t); ok {
			add(v, "the redirect of `"+leanShort(c)+"`")
		}
	}
	x, _ := in.ExpandCmd(c)
	switch c.Name {
	case "wget":
		if o, ok := leanOptValue(x.Args, 'O', "--output-document"); ok {
			if o != "-" {
				add(o, "`wget -O`")
			}
			break
		}
		dir := cwd
		if d, ok := leanOptValue(x.Args, 'P', "--directory-prefix"); ok {
			dir = leanResolve(d, cwd)
		}
		for _, u := range leanURLs(x.Args) {
			if b := leanURLBase(u); b != "" && dir != "" {
				add(path.Join(dir, b), "`wget`")
			}
		}
	case "curl":
		if o, ok := leanOptValue(x.Args, 'o', "--output"); ok {
			if o != "-" {
				add(o, "`curl -o`")
			}
			break
		}
		if leanHasShort(x.Args, 'O') || x.HasFlag("--remote-name", "--remote-name-all") {
			dir := cwd
			if d, ok := x.FlagValue("--output-dir"); ok {
				dir = leanResolve(d, cwd)
			}
			for _, u := range leanURLs(x.Args) {
				if b := leanURLBase(u); b != "" && dir != "" {
					add(path.Join(dir, b), "`curl -O`")
				}
			}
		}
	case "git":
		sub, i := x.Subcommand("-C", "-c")
		if sub != "clone" {
			break
		}
		ps := x.OperandsAfter(i, "-b", "--branch", "--depth", "-c", "--config", "-o", "--origin", "--reference", "--separate-git-dir", "-j", "--jobs", "--filter", "-u", "--upload-pack", "--shallow-since", "--shallow-exclude", "--template")
		switch {
		case len(ps) >= 2:
			add(ps[1], "`git clone`")
		case len(ps) == 1:
			if b := strings.TrimSuffix(leanURLBase(ps[0]), ".git"); b != "" {
				add(b, "`git clone`")
			}
		}
	}
	if op, ok := x.Package(); ok {
		what := fmt.Sprintf("`%s %s`", op.Tool, op.Sub)
		switch {
		case op.Family == df.FamilyApt && op.Update:
			add("/var/lib/apt/lists", what)
		case op.Family == df.FamilyApk && (op.Update || op.Install || op.Upgrade) && !x.HasFlag("--no-cache"):
			add("/var/cache/apk", what)
		case op.Family == df.FamilyRPM && (op.Update || op.Install || op.Upgrade):
			switch op.Tool {
			case "dnf", "dnf5":
				add("/var/cache/dnf", what)
			case "tdnf":
				add("/var/cache/tdnf", what)
			default:
				add("/var/cache/yum", what)
			}
		case op.Family == df.FamilyZypper && (op.Update || op.Install || op.Upgrade):
			add("/var/cache/zypp", what)
		case op.Family == df.FamilyPacman && (op.Install || op.Upgrade):
			add("/var/cache/pacman/pkg", what)
		}
	}
	if args := leanPipInstall(x); args != nil {
		if !(&df.Cmd{Args: args}).HasFlag("--no-cache-dir") {
			if !leanPipCacheOff(in) {
				add("~/.cache/pip", "`"+c.Name+" install`")
			}
		}
	}
	return out
}

// leanCopied returns the destinations a COPY or ADD writes.
func leanCopied(in *df.Instruction, cwd string) []leanEntry {
	if len(in.Args) < 2 || (in.Node != nil && len(in.Node.Heredocs) > 0) {
		return nil
	}
	kw := in.Keyword
	dest, unmatched := in.Expand(in.Args[len(in.Args)-1])
	if len(unmatched) > 0 {
		return nil
	}
	srcs := in.Args[:len(in.Args)-1]
	dirDest := strings.HasSuffix(dest, "/") || len(srcs) > 1
	_, from := in.Flag("from")
	var out []leanEntry
	add := func(p string, local bool) {
		if a := leanResolve(p, cwd); a != "" && a != "/" {
			out = append(out, leanEntry{path: a, in: in, what: kw, local: local})
		}
	}
	for _, src := range srcs {
		src, _ = in.Expand(src)
		local := !strings.Contains(src, "://")
		ctx := local && !from
		switch {
		case !dirDest:
			add(dest, ctx)
		case src == "." || src == "./" || strings.HasSuffix(src, "/") || strings.ContainsAny(src, "*?[") ||
			(kw == "ADD" && local && leanIsArchive(src)):
			add(dest, ctx)
		default:
			b := path.Base(src)
			if !local {
				b = leanURLBase(src)
			}
			if b != "" && b != "." && b != "/" {
				add(path.Join(dest, b), ctx)
			}
		}
	}
	return out
}

func leanIsArchive(p string) bool {
	p = strings.ToLower(p)
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// leanURLs returns the arguments that look like download URLs.
func leanURLs(args []string) []string {
	var out []string
	for _, a := range args {
		if df.IsURL(a) {
			out = append(out, a)
		}
	}
	return out
}

// leanURLBase returns the last path element of a URL (or path), "" when it
// has none or is not literal.
func leanURLBase(u string) string {
	if strings.ContainsAny(u, "$`") {
		return ""
	}
	if pu, err := url.Parse(u); err == nil && pu.Scheme != "" {
		u = pu.Path
	}
	b := path.Base(u)
	if b == "." || b == "/" || b == "" {
		return ""
	}
	return b
}

// leanOptValue finds the value of a short option letter (also inside a
// group such as -fsSLo FILE or -qO-) or of a long option.
func leanOptValue(args []string, letter byte, long string) (string, bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		if a == long && i+1 < len(args) {
			return args[i+1], true
		}
		if strings.HasPrefix(a, long+"=") {
			return a[len(long)+1:], true
		}
		if len(a) >= 2 && a[0] == '-' && a[1] != '-' {
			if j := strings.IndexByte(a[1:], letter); j >= 0 {
				if !leanIsAlpha(a[1 : j+1]) {
					continue
				}
				rest := a[j+2:]
				if rest != "" {
					return rest, true
				}
				if i+1 < len(args) {
					return args[i+1], true
				}
			}
		}
	}
	return "", false
}

// leanHasShort reports whether a value-less short option letter is given.
func leanHasShort(args []string, letter byte) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		if len(a) >= 2 && a[0] == '-' && a[1] != '-' && leanIsAlpha(a[1:]) && strings.IndexByte(a[1:], letter) >= 0 {
			return true
		}
	}
	return false
}

func leanIsAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
			return false
		}
	}
	return true
}

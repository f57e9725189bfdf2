package dockerfile

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Script is what a RUN instruction executes, as commands rather than text.
type Script struct {
	// Exec is true for the JSON exec form.
	Exec bool
	// Text is the shell source given to the parser, aligned with the
	// Dockerfile so that positions map back to file lines.
	Text string
	// AST is the shell syntax tree; nil for exec form without a shell, for
	// non-POSIX shells, or when the script did not parse (see ParseErr).
	AST      *syntax.File
	ParseErr error
	// Commands lists every simple command in execution order, including
	// those inside `sh -c '...'` strings and heredoc bodies run by a shell.
	Commands []*Cmd
	// Trees are every shell syntax tree of the RUN: the script itself
	// first, then the bodies of `sh -c` strings and heredocs the shell runs,
	// each parsed once here so that rules never re-parse.
	Trees []Tree
	// Mounts are the RUN --mount values.
	Mounts []*instructions.Mount
	// Heredocs are the heredoc bodies attached to the instruction.
	Heredocs []Heredoc
	// lineOffset is added to AST line numbers to get file lines.
	lineOffset int
}

// Tree is one shell syntax tree of a RUN with the number to add to its
// line numbers to get Dockerfile lines. Nested trees (sh -c strings,
// heredoc bodies) have exact lines but no exact columns.
type Tree struct {
	AST    *syntax.File
	Offset int
	Nested bool
}

// Heredoc is one here-document attached to a RUN/COPY/ADD.
type Heredoc struct {
	Name    string
	Content string
}

// Pos converts a position in the script's syntax tree to a file range.
func (s *Script) Pos(p syntax.Pos) loc.Range {
	if !p.IsValid() {
		return loc.Range{Line: s.lineOffset + 1}
	}
	l := int(p.Line()) + s.lineOffset
	return loc.Range{Line: l, Col: int(p.Col()), EndLine: l}
}

// HasMount reports whether the RUN has a --mount of the given type
// ("cache", "secret", "bind", "ssh", "tmpfs").
func (s *Script) HasMount(typ string) bool {
	for _, m := range s.Mounts {
		if string(m.Type) == typ {
			return true
		}
	}
	return false
}

// CacheMountTargets returns the targets of cache (and tmpfs) mounts.
func (s *Script) CacheMountTargets() []string {
	var out []string
	for _, m := range s.Mounts {
		if m.Type == instructions.MountTypeCache || m.Type == instructions.MountTypeTmpfs {
			out = append(out, m.Target)
		}
	}
	return out
}

// Find returns the commands whose (wrapper-stripped) name is one of names.
// Names are compared by base name, so /usr/bin/apt-get matches apt-get.
func (s *Script) Find(names ...string) []*Cmd {
	var out []*Cmd
	for _, c := range s.Commands {
		for _, n := range names {
			if c.Name == n {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Cmd is one simple command from a RUN, with wrappers such as sudo and env
// stripped (they are kept in Wrappers).
type Cmd struct {
	// Name is the base name of the program (`apt-get`), "" when dynamic.
	Name string
	// Path is argv[0] as written.
	Path string
	// Args are argv[1:], quotes removed; non-literal parts keep their
	// source text (`$VAR`, `$(cmd)`).
	Args []string
	// Assigns are VAR=value prefixes, including those given to env.
	Assigns map[string]string
	// Wrappers lists stripped wrapper programs, outermost first (sudo, env,
	// nohup, time, exec, nice).
	Wrappers []string
	// Range is where the command starts in the Dockerfile.
	Range loc.Range
	// Stmt is the statement holding the command (nil for exec form).
	Stmt *syntax.Stmt
	// PipeNext is the command that reads this command's output through a
	// pipe, if any; PipePrev the one writing into it.
	PipeNext, PipePrev *Cmd
	// Chain is the index of the top-level statement (a list joined with
	// &&, || or ;) the command belongs to; Seq is its position overall.
	Chain, Seq int
	// Nested is true for commands found inside `sh -c` strings or heredocs.
	Nested bool
	// Subshell is true for commands that run inside a `( ... )` subshell,
	// whose cd, exports and exit do not reach the rest of the script.
	Subshell bool
}

// Positionals returns the arguments that do not start with '-'.
func (c *Cmd) Positionals() []string {
	var out []string
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "-") || a == "-" {
			out = append(out, a)
		}
	}
	return out
}

// Sub returns the first positional argument (the subcommand of tools such
// as apt-get, apk, pip, npm), lower-cased.
func (c *Cmd) Sub() string {
	p := c.Positionals()
	if len(p) == 0 {
		return ""
	}
	return strings.ToLower(p[0])
}

// HasFlag reports whether any of the flags is present. Long flags match
// `--name` and `--name=value`; single-letter flags such as `-y` also match
// inside combined short flags (`-qy`).
func (c *Cmd) HasFlag(flags ...string) bool { return c.FlagIndex(flags...) >= 0 }

// FlagIndex returns the index in Args of the first argument that is one of
// the flags, matched as HasFlag does, or -1; ArgRange locates it.
func (c *Cmd) FlagIndex(flags ...string) int {
	for i, a := range c.Args {
		if a == "--" {
			break
		}
		for _, f := range flags {
			if a == f || (strings.HasPrefix(f, "--") && strings.HasPrefix(a, f+"=")) {
				return i
			}
			if len(f) == 2 && f[0] == '-' && f[1] != '-' && len(a) > 2 && a[0] == '-' && a[1] != '-' && isLetters(a[1:]) && strings.ContainsRune(a[1:], rune(f[1])) {
				return i
			}
		}
	}
	return -1
}

// FlagValue returns the value given to a flag as `--f=v`, `--f v` or `-f v`.
func (c *Cmd) FlagValue(flags ...string) (string, bool) {
	for i, a := range c.Args {
		for _, f := range flags {
			if a == f && i+1 < len(c.Args) {
				return c.Args[i+1], true
			}
			if strings.HasPrefix(a, f+"=") {
				return a[len(f)+1:], true
			}
		}
	}
	return "", false
}

// NumericFlagValue is FlagValue for an option with a numeric value, which
// may also be written attached to its short form (`-m0755`, `-u10001`);
// of those, the last one counts.
func (c *Cmd) NumericFlagValue(short, long string) (string, bool) {
	if v, ok := c.FlagValue(short, long); ok {
		return v, true
	}
	v, ok := "", false
	for _, a := range c.Args {
		if strings.HasPrefix(a, short) && len(a) > len(short) && a[len(short)] >= '0' && a[len(short)] <= '9' {
			v, ok = a[len(short):], true
		}
	}
	return v, ok
}

// String renders the command for messages.
func (c *Cmd) String() string {
	parts := append([]string{c.Name}, c.Args...)
	s := strings.Join(parts, " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// posixShells are the shells whose syntax mvdan.cc/sh understands.
var posixShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true, "mksh": true, "busybox": true}

// IsPOSIXShell reports whether a SHELL value runs a POSIX-like shell.
func IsPOSIXShell(sh []string) bool {
	if len(sh) == 0 {
		return true
	}
	return posixShells[path.Base(strings.ToLower(sh[0]))]
}

// wrappers are programs that run their arguments as a command.
var wrappers = map[string]bool{"sudo": true, "env": true, "nohup": true, "time": true, "exec": true, "nice": true, "command": true, "doas": true, "gosu": true, "su-exec": true, "chroot": false}

// buildScript fills Script.Commands from the AST.
func (s *Script) collect(f *syntax.File, offset int, nested bool, depth int) {
	var printer *syntax.Printer
	defer putPrinter(&printer)
	chain := 0
	for _, st := range f.Stmts {
		s.walkStmt(st, offset, nested, chain, &printer, depth)
		chain++
	}
}

func (s *Script) walkStmt(st *syntax.Stmt, offset int, nested bool, chain int, pr **syntax.Printer, depth int) {
	var visit func(cmd syntax.Command, stmt *syntax.Stmt) (first, last *Cmd)
	visit = func(cmd syntax.Command, stmt *syntax.Stmt) (first, last *Cmd) {
		switch x := cmd.(type) {
		case *syntax.CallExpr:
			c := s.newCmd(x, stmt, offset, nested, chain, pr)
			if c == nil {
				return nil, nil
			}
			s.Commands = append(s.Commands, c)
			c.Seq = len(s.Commands) - 1
			s.descend(c, depth)
			return c, c
		case *syntax.BinaryCmd:
			lf, ll := visit(x.X.Cmd, x.X)
			rf, rl := visit(x.Y.Cmd, x.Y)
			if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
				if ll != nil && rf != nil {
					ll.PipeNext = rf
					rf.PipePrev = ll
				}
			}
			if lf == nil {
				lf = rf
			}
			if rl == nil {
				rl = ll
			}
			return lf, rl
		case *syntax.Block:
			for _, s2 := range x.Stmts {
				f2, l2 := visit(s2.Cmd, s2)
				first, last = pick(first, last, f2, l2)
			}
		case *syntax.Subshell:
			from := len(s.Commands)
			for _, s2 := range x.Stmts {
				f2, l2 := visit(s2.Cmd, s2)
				first, last = pick(first, last, f2, l2)
			}
			for _, c := range s.Commands[from:] {
				c.Subshell = true
			}
		case *syntax.IfClause:
			for c := x; c != nil; c = c.Else {
				for _, s2 := range c.Cond {
					f2, l2 := visit(s2.Cmd, s2)
					first, last = pick(first, last, f2, l2)
				}
				for _, s2 := range c.Then {
					f2, l2 := visit(s2.Cmd, s2)
					first, last = pick(first, last, f2, l2)
				}
			}
		case *syntax.WhileClause:
			for _, s2 := range x.Cond {
				f2, l2 := visit(s2.Cmd, s2)
				first, last = pick(first, last, f2, l2)
			}
			for _, s2 := range x.Do {
				f2, l2 := visit(s2.Cmd, s2)
				first, last = pick(first, last, f2, l2)
			}
		case *syntax.ForClause:
			for _, s2 := range x.Do {
				f2, l2 := visit(s2.Cmd, s2)
				first, last = pick(first, last, f2, l2)
			}
		case *syntax.CaseClause:
			for _, it := range x.Items {
				for _, s2 := range it.Stmts {
					f2, l2 := visit(s2.Cmd, s2)
					first, last = pick(first, last, f2, l2)
				}
			}
		case *syntax.FuncDecl:
			if x.Body != nil {
				first, last = visit(x.Body.Cmd, x.Body)
			}
		case *syntax.TimeClause:
			if x.Stmt != nil {
				first, last = visit(x.Stmt.Cmd, x.Stmt)
			}
		case *syntax.CoprocClause:
			if x.Stmt != nil {
				first, last = visit(x.Stmt.Cmd, x.Stmt)
			}
		}
		return first, last
	}
	visit(st.Cmd, st)
	// A bare heredoc redirect (`RUN <<EOF`) runs its body with the shell.
	if st.Cmd == nil {
		for _, r := range st.Redirs {
			if (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil {
				s.parseNested(wordText(r.Hdoc, pr), int(r.Hdoc.Pos().Line())-1+offset, depth)
			}
		}
	}
}

func pick(first, last, f, l *Cmd) (*Cmd, *Cmd) {
	if first == nil {
		first = f
	}
	if l != nil {
		last = l
	}
	return first, last
}

func (s *Script) newCmd(x *syntax.CallExpr, stmt *syntax.Stmt, offset int, nested bool, chain int, pr **syntax.Printer) *Cmd {
	c := &Cmd{Stmt: stmt, Chain: chain, Nested: nested, Assigns: map[string]string{}}
	for _, a := range x.Assigns {
		if a.Name != nil {
			v := ""
			if a.Value != nil {
				v = wordText(a.Value, pr)
			}
			c.Assigns[a.Name.Value] = v
		}
	}
	args := make([]string, 0, len(x.Args))
	for _, w := range x.Args {
		args = append(args, wordText(w, pr))
	}
	if len(x.Args) > 0 {
		p := x.Args[0].Pos()
		l := int(p.Line()) + offset
		c.Range = loc.Range{Line: l, Col: int(p.Col()), EndLine: l}
	} else if stmt != nil {
		p := stmt.Pos()
		l := int(p.Line()) + offset
		c.Range = loc.Range{Line: l, Col: int(p.Col()), EndLine: l}
	}
	if nested {
		c.Range.Col = 0
	}
	args = stripWrappers(c, args)
	if len(args) == 0 {
		return c
	}
	c.Path = args[0]
	c.Name = path.Base(args[0])
	if strings.ContainsAny(args[0], "$`") {
		c.Name = ""
	}
	c.Args = args[1:]
	return c
}

// stripWrappers removes sudo/env/... prefixes, recording them.
func stripWrappers(c *Cmd, args []string) []string {
	for len(args) > 0 && wrappers[path.Base(args[0])] {
		w := path.Base(args[0])
		c.Wrappers = append(c.Wrappers, w)
		args = args[1:]
		// Skip the wrapper's own options and, for env, assignments.
		for len(args) > 0 {
			a := args[0]
			switch {
			case w == "env" && strings.Contains(a, "=") && !strings.HasPrefix(a, "-"):
				k, v, _ := strings.Cut(a, "=")
				c.Assigns[k] = v
				args = args[1:]
				continue
			case strings.HasPrefix(a, "-") && a != "-":
				args = args[1:]
				// Options of sudo/nice that take a value.
				if (w == "sudo" || w == "doas") && (a == "-u" || a == "-g" || a == "-C" || a == "-h" || a == "-p" || a == "-U") && len(args) > 0 {
					args = args[1:]
				}
				if w == "nice" && a == "-n" && len(args) > 0 {
					args = args[1:]
				}
				continue
			case (w == "gosu" || w == "su-exec") && len(c.Wrappers) > 0:
				// gosu USER cmd...
				args = args[1:]
			}
			break
		}
	}
	return args
}

// descend parses `sh -c 'script'` arguments as nested scripts.
func (s *Script) descend(c *Cmd, depth int) {
	if depth > 3 {
		return
	}
	if !posixShells[c.Name] {
		return
	}
	for i, a := range c.Args {
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "c") && i+1 < len(c.Args) {
			s.parseNested(c.Args[i+1], c.Range.Line-1, depth+1)
			return
		}
	}
}

func (s *Script) parseNested(text string, offset, depth int) {
	if depth > 3 {
		return
	}
	f, err := parseBash(text)
	if err != nil {
		return
	}
	s.Trees = append(s.Trees, Tree{AST: f, Offset: offset, Nested: true})
	s.collect(f, offset, true, depth+1)
}

// wordText renders a word: literal parts unquoted, everything else as
// written in the source.
func wordText(w *syntax.Word, pr **syntax.Printer) string {
	var b strings.Builder
	var part func(p syntax.WordPart)
	part = func(p syntax.WordPart) {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescapeLit(x.Value))
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				part(q)
			}
		default:
			// Printers are costly to make and most words never need one.
			if *pr == nil {
				*pr = getPrinter()
			}
			_ = (*pr).Print(&b, x)
		}
	}
	for _, p := range w.Parts {
		part(p)
	}
	return b.String()
}

// unescapeLit removes backslash escapes from an unquoted literal.
func unescapeLit(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

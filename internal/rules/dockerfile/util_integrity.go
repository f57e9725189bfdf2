package dockerfile

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// This file holds the helpers of the integrity / supply-chain group
// (DF1500-DF1505). Their names start with itg so that they cannot collide
// with the helpers of other rule groups in the same package.

// itgRuns calls fn for every RUN with a shell model, skipping Windows
// stages whose scripts are not POSIX shell.
func itgRuns(p *rule.Pass, fn func(in *df.Instruction)) {
	for _, st := range fileOf(p).Stages {
		if st.Windows {
			continue
		}
		for _, in := range st.Instructions {
			if in.Keyword == "RUN" && in.Script != nil {
				fn(in)
			}
		}
	}
}

// itgCmds calls fn for every command of every RUN.
func itgCmds(p *rule.Pass, fn func(in *df.Instruction, c *df.Cmd)) {
	itgRuns(p, func(in *df.Instruction) {
		for _, c := range in.Script.Commands {
			fn(in, c)
		}
	})
}

// itgCall returns the syntax node of a command, nil for exec form.
func itgCall(c *df.Cmd) *syntax.CallExpr {
	if c == nil || c.Stmt == nil {
		return nil
	}
	x, _ := c.Stmt.Cmd.(*syntax.CallExpr)
	return x
}

// itgOffset returns the number to add to a line of the syntax tree holding
// c to get the Dockerfile line. The model anchors a command at its first
// word (or its statement when it has none), which gives the offset back.
func itgOffset(c *df.Cmd) (int, bool) {
	x := itgCall(c)
	if x == nil || c.Range.Line == 0 {
		return 0, false
	}
	anchor := c.Stmt.Pos()
	if len(x.Args) > 0 {
		anchor = x.Args[0].Pos()
	}
	if !anchor.IsValid() {
		return 0, false
	}
	return c.Range.Line - int(anchor.Line()), true
}

// itgNodeRange converts a node of the tree holding c into a file range.
// Inside `sh -c` strings and heredocs only the line is exact.
func itgNodeRange(in *df.Instruction, c *df.Cmd, n syntax.Node) loc.Range {
	off, ok := itgOffset(c)
	if !ok || n == nil || !n.Pos().IsValid() {
		return itgCmdRange(in, c)
	}
	p, e := n.Pos(), n.End()
	l := int(p.Line()) + off
	r := loc.Range{Line: l, EndLine: l}
	if !c.Nested {
		r.Col = int(p.Col())
		if e.IsValid() && e.Line() == p.Line() {
			r.EndCol = int(e.Col())
		}
	}
	return r
}

// itgCmdRange is where a finding about a whole command sits: the command
// word, or the RUN's first line when the command has no position.
func itgCmdRange(in *df.Instruction, c *df.Cmd) loc.Range {
	r := c.Range
	if r.Line == 0 {
		return in.Start()
	}
	if r.Col > 0 && c.Path != "" && len(c.Wrappers) == 0 && !c.Nested {
		r.EndCol = r.Col + len(c.Path)
	}
	return r
}

// itgArgRange returns the range of c.Args[i], falling back to the command.
func itgArgRange(in *df.Instruction, c *df.Cmd, i int) loc.Range {
	x := itgCall(c)
	if x == nil || i < 0 || i >= len(c.Args) {
		return itgCmdRange(in, c)
	}
	j := len(x.Args) - len(c.Args) + i
	if j < 0 || j >= len(x.Args) {
		return itgCmdRange(in, c)
	}
	return itgNodeRange(in, c, x.Args[j])
}

// itgAssignRange returns the range of a VAR=value prefix of c.
func itgAssignRange(in *df.Instruction, c *df.Cmd, name string) loc.Range {
	if x := itgCall(c); x != nil {
		for _, a := range x.Assigns {
			if a.Name != nil && a.Name.Value == name {
				return itgNodeRange(in, c, a)
			}
		}
	}
	return itgCmdRange(in, c)
}

// itgFlagIndex returns the index in c.Args of the first argument that is
// one of flags (long flags also as `--flag=value`), or -1.
func itgFlagIndex(c *df.Cmd, flags ...string) int {
	for i, a := range c.Args {
		if a == "--" {
			break
		}
		for _, f := range flags {
			if a == f || (strings.HasPrefix(f, "--") && strings.HasPrefix(a, f+"=")) {
				return i
			}
		}
	}
	return -1
}

// itgTree is one shell syntax tree of a RUN: the script itself, or the text
// of a `sh -c` argument or a heredoc body that the shell runs.
type itgTree struct {
	file   *syntax.File
	offset int
	nested bool
}

// itgTrees returns every shell tree of a RUN (the model parses `sh -c`
// strings and heredoc bodies once), so that constructs the command list
// does not model (command substitutions, export) can be found wherever
// they are written.
func itgTrees(in *df.Instruction) []itgTree {
	s := in.Script
	if s == nil {
		return nil
	}
	out := make([]itgTree, 0, len(s.Trees))
	for _, t := range s.Trees {
		out = append(out, itgTree{file: t.AST, offset: t.Offset, nested: t.Nested})
	}
	return out
}

// itgRange converts a node of a tree into a file range.
func (t itgTree) itgRange(n syntax.Node) loc.Range {
	p := n.Pos()
	l := int(p.Line()) + t.offset
	r := loc.Range{Line: l, EndLine: l}
	if !t.nested {
		r.Col = int(p.Col())
		if e := n.End(); e.IsValid() && e.Line() == p.Line() {
			r.EndCol = int(e.Col())
		}
	}
	return r
}

var itgShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true, "mksh": true}

// itgLitArgs returns the words of a call with wrappers such as sudo and env
// removed; non-literal words keep their source text.
func itgLitArgs(x *syntax.CallExpr) []string {
	var pr *syntax.Printer
	var out []string
	for _, w := range x.Args {
		out = append(out, itgWordText(w, pr))
	}
	for len(out) > 0 && itgWrappers[path.Base(out[0])] {
		out = out[1:]
		for len(out) > 0 && (strings.HasPrefix(out[0], "-") || strings.Contains(out[0], "=")) {
			out = out[1:]
		}
	}
	return out
}

var itgWrappers = map[string]bool{"sudo": true, "env": true, "nohup": true, "time": true, "exec": true, "nice": true, "command": true, "doas": true}

// itgWordText renders a word with quotes removed from literal parts.
func itgWordText(w *syntax.Word, pr *syntax.Printer) string {
	var b strings.Builder
	var part func(p syntax.WordPart)
	part = func(p syntax.WordPart) {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				part(q)
			}
		default:
			// Printers are costly to make; most words never need one.
			if pr == nil {
				pr = syntax.NewPrinter()
			}
			_ = pr.Print(&b, x)
		}
	}
	for _, p := range w.Parts {
		part(p)
	}
	return b.String()
}

// itgOpts describes a command-line tool's options that take a value, so
// that values are not mistaken for operands.
type itgOpts struct {
	short string          // single-letter options taking a value
	long  map[string]bool // long options (without --) taking a value
}

// itgOperand is one operand with its index in the argument list.
type itgOperand struct {
	Val string
	Idx int
}

// operands returns the non-option arguments of args, skipping option
// values. Arguments after `--` are all operands.
func (o itgOpts) operands(args []string) []itgOperand {
	var out []itgOperand
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			for j := i + 1; j < len(args); j++ {
				out = append(out, itgOperand{args[j], j})
			}
			return out
		case strings.HasPrefix(a, "--"):
			name := a[2:]
			if strings.ContainsAny(name, "= ") {
				continue
			}
			if o.long[name] {
				i++
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			if strings.Contains(a, " ") {
				continue
			}
			for k := 1; k < len(a); k++ {
				if strings.IndexByte(o.short, a[k]) >= 0 {
					if k == len(a)-1 {
						i++
					}
					break
				}
			}
		default:
			out = append(out, itgOperand{a, i})
		}
	}
	return out
}

// has reports whether an option is given, as `--long`, `--long=v`, `-s` or
// inside a cluster of short options.
func (o itgOpts) has(args []string, short byte, long ...string) bool {
	return o.index(args, short, long...) >= 0
}

// index returns the index of the argument holding an option, or -1.
func (o itgOpts) index(args []string, short byte, long ...string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return -1
		}
		if strings.HasPrefix(a, "--") {
			name, _, _ := strings.Cut(a[2:], "=")
			for _, l := range long {
				if name == l {
					return i
				}
			}
			if o.long[name] && !strings.Contains(a, "=") {
				i++
			}
			continue
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 && !strings.Contains(a, " ") {
			for k := 1; k < len(a); k++ {
				if short != 0 && a[k] == short {
					return i
				}
				if strings.IndexByte(o.short, a[k]) >= 0 {
					if k == len(a)-1 {
						i++
					}
					break
				}
			}
		}
	}
	return -1
}

// itgWrites returns the files a command writes its output to: `>`/`>>`
// redirections, or the arguments of a `tee` reading from its pipe.
func itgWrites(c *df.Cmd) []string {
	var out []string
	if c.Stmt != nil {
		var pr *syntax.Printer
		for _, r := range c.Stmt.Redirs {
			if (r.Op == syntax.RdrOut || r.Op == syntax.AppOut || r.Op == syntax.RdrAll || r.Op == syntax.AppAll || r.Op == syntax.ClbOut) && r.Word != nil {
				out = append(out, itgWordText(r.Word, pr))
			}
		}
	}
	for n := c.PipeNext; n != nil; n = n.PipeNext {
		if n.Name == "tee" {
			for _, a := range n.Args {
				if !strings.HasPrefix(a, "-") {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// itgHeredocs returns the heredoc bodies fed to a command.
func itgHeredocs(c *df.Cmd) []string {
	if c.Stmt == nil {
		return nil
	}
	var out []string
	var pr *syntax.Printer
	for _, r := range c.Stmt.Redirs {
		if (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil {
			var b strings.Builder
			if pr == nil {
				pr = syntax.NewPrinter()
			}
			_ = pr.Print(&b, r.Hdoc)
			out = append(out, b.String())
		}
	}
	return out
}

// itgConfigText returns the text a command writes into a file: echo/printf
// arguments or a heredoc body redirected to a file, and `sed -i`
// expressions. ok is false when the command writes no file.
func itgConfigText(c *df.Cmd) (text string, files []string, ok bool) {
	switch c.Name {
	case "echo", "printf":
		files = itgWrites(c)
		if len(files) == 0 {
			return "", nil, false
		}
		return strings.Join(c.Args, "\n"), files, true
	case "cat", "tee":
		docs := itgHeredocs(c)
		if len(docs) == 0 {
			return "", nil, false
		}
		files = itgWrites(c)
		if c.Name == "tee" {
			for _, a := range c.Args {
				if !strings.HasPrefix(a, "-") {
					files = append(files, a)
				}
			}
		}
		if len(files) == 0 {
			return "", nil, false
		}
		return strings.Join(docs, "\n"), files, true
	case "sed":
		if !c.HasFlag("-i", "--in-place") && !itgHasPrefixArg(c, "-i") {
			return "", nil, false
		}
		var exprs []string
		explicit := false
		for i := 0; i < len(c.Args); i++ {
			a := c.Args[i]
			switch {
			case a == "-e" || a == "--expression":
				explicit = true
				if i+1 < len(c.Args) {
					exprs = append(exprs, c.Args[i+1])
					i++
				}
			case strings.HasPrefix(a, "--expression="):
				explicit = true
				exprs = append(exprs, a[len("--expression="):])
			case a == "-f" || a == "--file":
				i++
			case strings.HasPrefix(a, "-") && a != "-":
			case !explicit && len(exprs) == 0:
				exprs = append(exprs, a)
			default:
				files = append(files, a)
			}
		}
		return strings.Join(exprs, "\n"), files, true
	}
	return "", nil, false
}

func itgHasPrefixArg(c *df.Cmd, prefix string) bool {
	for _, a := range c.Args {
		if strings.HasPrefix(a, prefix) {
			return true
		}
	}
	return false
}

// itgIsURL reports whether s is a remote http(s) or ftp URL.
func itgIsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ftp://")
}

// itgIsGitRef reports whether an ADD source names a Git repository, the
// way BuildKit recognises one.
func itgIsGitRef(s string) bool {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "git://") || strings.HasPrefix(l, "git@") || strings.HasPrefix(l, "ssh://") || strings.HasPrefix(l, "git+") {
		return true
	}
	if itgIsURL(l) {
		u, _, _ := strings.Cut(l, "#")
		u, _, _ = strings.Cut(u, "?")
		return strings.HasSuffix(u, ".git") || strings.HasSuffix(u, ".git/")
	}
	return false
}

var itgHexCommit = regexp.MustCompile(`^[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$`)

// itgTruthy/itgFalsy compare configuration values case-insensitively.
func itgFalsy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}

func itgTruthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// itgList renders names for a message, cutting long lists short.
func itgList(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:max], ", ") + " and " + strconv.Itoa(len(names)-max) + " more"
}

// itgConfigPattern is a setting that, written into a configuration file,
// weakens verification; what describes it for the message.
type itgConfigPattern struct {
	re   *regexp.Regexp
	what string
}

// itgConfigWrite reports whether a command writes one of the settings into
// a file, and which one and where.
func itgConfigWrite(c *df.Cmd, pats []itgConfigPattern) (what, file string, ok bool) {
	text, files, ok := itgConfigText(c)
	if !ok {
		return "", "", false
	}
	if c.Name == "sed" {
		text = itgSedReplacements(text)
	}
	text = strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace(text)
	for _, pt := range pats {
		if pt.re.MatchString(text) {
			f := ""
			if len(files) > 0 {
				f = files[0]
			}
			return pt.what, f, true
		}
	}
	return "", "", false
}

// itgSedReplacements keeps only the replacement part of `s/old/new/`
// expressions, so that `s/gpgcheck=0/gpgcheck=1/` is not read as writing
// the value it removes. Other expressions are kept whole.
func itgSedReplacements(text string) string {
	var out []string
	for _, e := range strings.Split(text, "\n") {
		e = strings.TrimSpace(e)
		if len(e) > 3 && e[0] == 's' {
			d := e[1]
			parts := strings.Split(e[2:], string(d))
			if len(parts) >= 2 {
				out = append(out, parts[1])
				continue
			}
		}
		out = append(out, e)
	}
	return strings.Join(out, "\n")
}

// itgEnvSetting is one variable the build sets: by ENV or ARG, as a
// `VAR=value` prefix of a command, or with `export` in a RUN.
type itgEnvSetting struct {
	In    *df.Instruction
	Range loc.Range
	How   string // "ENV", "ARG", "RUN" or "export"
	Name  string
	Value string
}

// itgEnvSettings lists every variable setting of the file.
func itgEnvSettings(p *rule.Pass) []itgEnvSetting {
	var out []itgEnvSetting
	for _, in := range fileOf(p).Instructions {
		switch c := in.Command.(type) {
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				out = append(out, itgEnvSetting{In: in, Range: itgLocateName(in, fileOf(p).Lines, kv.Key), How: "ENV", Name: kv.Key, Value: itgUnquote(in, kv.Value)})
			}
		case *instructions.ArgCommand:
			if len(in.Args) == 2 && !strings.Contains(in.Args[0], "=") && !strings.Contains(in.Args[1], "=") {
				// `ARG NAME VALUE` declares two arguments, but the author
				// plainly meant a value; judge it as one.
				out = append(out, itgEnvSetting{In: in, Range: itgLocateName(in, fileOf(p).Lines, in.Args[0]), How: "ARG", Name: in.Args[0], Value: itgUnquote(in, in.Args[1])})
				continue
			}
			for _, kv := range c.Args {
				if kv.Value != nil {
					out = append(out, itgEnvSetting{In: in, Range: itgLocateName(in, fileOf(p).Lines, kv.Key), How: "ARG", Name: kv.Key, Value: itgUnquote(in, *kv.Value)})
				}
			}
		}
	}
	itgRuns(p, func(in *df.Instruction) {
		for _, c := range in.Script.Commands {
			for k, v := range c.Assigns {
				out = append(out, itgEnvSetting{In: in, Range: itgAssignRange(in, c, k), How: "RUN", Name: k, Value: v})
			}
		}
		if !strings.Contains(in.Script.Text, "export") {
			return
		}
		var pr *syntax.Printer
		for _, t := range itgTrees(in) {
			syntax.Walk(t.file, func(n syntax.Node) bool {
				d, ok := n.(*syntax.DeclClause)
				if !ok || d.Variant == nil || d.Variant.Value != "export" {
					return true
				}
				for _, a := range d.Args {
					if a.Name == nil || a.Naked {
						continue
					}
					v := ""
					if a.Value != nil {
						v = itgWordText(a.Value, pr)
					}
					out = append(out, itgEnvSetting{In: in, Range: t.itgRange(a), How: "export", Name: a.Name.Value, Value: v})
				}
				return true
			})
		}
	})
	return out
}

// itgUnquote removes the quotes of an ENV or ARG value (BuildKit does it
// when it expands the value), substituting the variables it can.
func itgUnquote(in *df.Instruction, v string) string {
	x, _ := in.Expand(v)
	return x
}

// itgLocateName finds a variable name in an ENV or ARG, followed by `=`, a
// blank or the end of the line (so that FOO is not found in FOO_BAR), and
// skipping comment lines inside the continuation.
func itgLocateName(in *df.Instruction, lines []string, name string) loc.Range {
	return in.LocateKey(name)
}

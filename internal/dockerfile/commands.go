package dockerfile

import (
	"maps"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Unwrapped returns the script's commands with wrapper programs (sudo, env,
// nice, ...) removed also in the exec form, which the parser keeps as
// written; there argv[0] may even hold a command and its wrapper in one
// string (`["sudo yum", "install"]`, which cannot run but shows intent).
// Exec-form commands are copies; the shared model is not modified.
func (s *Script) Unwrapped() []*Cmd {
	out := make([]*Cmd, 0, len(s.Commands))
	for _, c := range s.Commands {
		if !s.Exec || c.Nested || c.Stmt != nil {
			out = append(out, c)
			continue
		}
		nc := *c
		nc.Assigns, nc.Wrappers = maps.Clone(c.Assigns), slices.Clone(c.Wrappers)
		argv := stripWrappers(&nc, append(strings.Fields(c.Path), c.Args...))
		if len(argv) == 0 {
			continue
		}
		nc.Path, nc.Name, nc.Args = argv[0], path.Base(argv[0]), argv[1:]
		out = append(out, &nc)
	}
	return out
}

// WordText renders a shell word the way Cmd.Args holds words: literal
// parts unquoted and unescaped, everything else as written.
func WordText(w *syntax.Word) string {
	var pr *syntax.Printer
	defer putPrinter(&pr)
	return wordText(w, &pr)
}

// Words returns the words of a call as WordText renders them. Rules use
// it for calls the command list does not hold, such as those inside a
// command substitution.
func Words(x *syntax.CallExpr) []string {
	var pr *syntax.Printer
	defer putPrinter(&pr)
	out := make([]string, 0, len(x.Args))
	for _, w := range x.Args {
		out = append(out, wordText(w, &pr))
	}
	return out
}

// StripWrappers returns argv without the leading wrapper programs (sudo,
// env, nice, gosu USER, ...) and their options, as Script.Commands strips
// them.
func StripWrappers(argv []string) []string {
	return stripWrappers(&Cmd{Assigns: map[string]string{}}, argv)
}

// Writes returns the files the command's standard output goes to: its `>`,
// `>>`, `&>` and `>|` redirections, and the file operands of every tee
// further down its pipe.
func (c *Cmd) Writes() []string {
	var out []string
	if c.Stmt != nil {
		for _, r := range c.Stmt.Redirs {
			switch r.Op {
			case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.ClbOut:
			default:
				continue
			}
			if r.Word != nil && (r.N == nil || r.N.Value == "1") {
				out = append(out, WordText(r.Word))
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

// Heredocs returns the bodies of the here-documents fed to the command
// (`cat <<EOF > file`), as written.
func (c *Cmd) Heredocs() []string {
	if c.Stmt == nil {
		return nil
	}
	var out []string
	var pr *syntax.Printer
	defer putPrinter(&pr)
	for _, r := range c.Stmt.Redirs {
		if (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil {
			var b strings.Builder
			if pr == nil {
				pr = getPrinter()
			}
			_ = pr.Print(&b, r.Hdoc)
			out = append(out, b.String())
		}
	}
	return out
}

// WrittenText returns the text a command writes into files and the files:
// the arguments of echo/printf, or the here-document of cat/tee, when
// written to a file (see Writes), and the expressions of `sed -i`. ok is
// false when the command writes no file this way.
func (c *Cmd) WrittenText() (text string, files []string, ok bool) {
	switch c.Name {
	case "echo", "printf":
		files = c.Writes()
		if len(files) == 0 {
			return "", nil, false
		}
		return strings.Join(c.Args, "\n"), files, true
	case "cat", "tee":
		docs := c.Heredocs()
		if len(docs) == 0 {
			return "", nil, false
		}
		files = c.Writes()
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
		return c.sedInPlace()
	}
	return "", nil, false
}

// sedInPlace reads `sed -i` expressions and the files they edit.
func (c *Cmd) sedInPlace() (text string, files []string, ok bool) {
	if !c.HasFlag("-i", "--in-place") && !slices.ContainsFunc(c.Args, func(a string) bool { return strings.HasPrefix(a, "-i") }) {
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

// CmdOption is the value of one occurrence of a repeatable option, with the
// index in Args of the argument that names the option (see ArgRange).
type CmdOption struct {
	Index int
	Value string
}

// AptOptions returns the configuration options of an apt command, given as
// `-o Key=Value`, `-oKey=Value`, `--option Key=Value` or
// `--option=Key=Value`.
func (c *Cmd) AptOptions() []CmdOption {
	var out []CmdOption
	for i, a := range c.Args {
		switch {
		case (a == "-o" || a == "--option") && i+1 < len(c.Args):
			out = append(out, CmdOption{i, c.Args[i+1]})
		case strings.HasPrefix(a, "-o") && len(a) > 2:
			out = append(out, CmdOption{i, a[2:]})
		case strings.HasPrefix(a, "--option="):
			out = append(out, CmdOption{i, a[len("--option="):]})
		}
	}
	return out
}

// Setopts returns the `--setopt=key=value` (or `--setopt key=value`)
// options of a yum/dnf command.
func (c *Cmd) Setopts() []CmdOption {
	var out []CmdOption
	for i, a := range c.Args {
		switch {
		case strings.HasPrefix(a, "--setopt="):
			out = append(out, CmdOption{i, a[len("--setopt="):]})
		case a == "--setopt" && i+1 < len(c.Args):
			out = append(out, CmdOption{i, c.Args[i+1]})
		}
	}
	return out
}

// nextVarRef finds the first $NAME or ${NAME...} reference in word at or
// after from: start and end bound the `$NAME` or `${NAME` matched, name
// is NAME; ok is false when there is none. It matches what the regular
// expression `\$\{?([A-Za-z_][A-Za-z0-9_]*)` would, without its cost (a
// few per cent of a lint, on every word of every RUN with a `$`).
func nextVarRef(word string, from int) (start, end int, name string, ok bool) {
	for i := from; i < len(word); i++ {
		if word[i] != '$' {
			continue
		}
		j := i + 1
		if j < len(word) && word[j] == '{' {
			j++
		}
		if j >= len(word) || !isNameStart(word[j]) {
			continue
		}
		k := j + 1
		for k < len(word) && (isNameStart(word[k]) || word[k] >= '0' && word[k] <= '9') {
			k++
		}
		return i, k, word[j:k], true
	}
	return 0, 0, "", false
}

func isNameStart(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// ExpandKnown substitutes the ARG and ENV values in force at in into one
// shell word of its RUN and reports whether every reference was known: a
// shell variable, a declared ARG without a value or a command substitution
// leaves the word as written and ok false.
func (in *Instruction) ExpandKnown(word string) (string, bool) {
	if !strings.ContainsAny(word, "$`") {
		return word, true
	}
	if strings.Contains(word, "$(") || strings.Contains(word, "`") {
		return word, false
	}
	for at := 0; ; {
		_, end, name, ok := nextVarRef(word, at)
		if !ok {
			break
		}
		if _, ok := in.Vars.Value(name); !ok {
			return word, false
		}
		at = end
	}
	v, unmatched := in.Expand(word)
	return v, len(unmatched) == 0
}

// Resolve is ExpandKnown for words shown or judged as they are: the
// substituted word when every reference is known, else the word as
// written.
func (in *Instruction) Resolve(word string) string {
	if v, ok := in.ExpandKnown(word); ok {
		return v
	}
	return word
}

// ExpandCmd returns a copy of c with its arguments passed through
// ExpandKnown, and whether some argument stayed unknown (then it is kept as
// written). An argument that is only a variable reference is split into
// words, as the shell does.
func (in *Instruction) ExpandCmd(c *Cmd) (x *Cmd, unknown bool) {
	cp := *c
	cp.Args = make([]string, 0, len(c.Args))
	for _, a := range c.Args {
		if !strings.ContainsAny(a, "$`") {
			cp.Args = append(cp.Args, a)
			continue
		}
		v, ok := in.ExpandKnown(a)
		switch {
		case !ok:
			unknown = true
			cp.Args = append(cp.Args, a)
		case wholeVar(a):
			cp.Args = append(cp.Args, strings.Fields(v)...)
		default:
			cp.Args = append(cp.Args, v)
		}
	}
	return &cp, unknown
}

// wholeVar reports whether a word is nothing but one variable reference.
func wholeVar(a string) bool {
	start, end, _, ok := nextVarRef(a, 0)
	if !ok || start != 0 {
		return false
	}
	rest := a[end:]
	return rest == "" || (strings.HasPrefix(a, "${") && strings.HasSuffix(rest, "}") && !strings.Contains(rest[:len(rest)-1], "}"))
}

package dockerfile

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	df "github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1502 catches a script fetched over the network and executed in the same
// breath (`curl -fsSL URL | sh`, `sh -c "$(curl URL)"`, `bash <(curl URL)`):
// whatever the server returns that day runs as root inside the build, with no
// checksum or signature to tell a tampered script from the real one.
var DF1502 = &rule.Rule{
	ID:       "DF1502",
	Slug:     "pipe-to-shell",
	Title:    "Remote script piped into a shell",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "Piping a download straight into an interpreter executes code that nobody has looked at and that can change " +
		"between two builds: a compromised server, a hijacked domain or a man in the middle gets code execution in the build, " +
		"usually as root and often with build secrets mounted. A truncated download can also run half a script. " +
		"Nothing in the Dockerfile records which script ran, so the build is neither reproducible nor auditable.",
	Fix: "Download the script to a file, verify it against a pinned checksum (`echo \"<sha256>  install.sh\" | sha256sum -c -`) or signature, then run the file. " +
		"Better still, install the tool from a package manager or copy it from a pinned image with `COPY --from`.",
	Bad: "FROM debian:12-slim\nRUN curl -fsSL https://example.com/install.sh | sh",
	Good: "FROM debian:12-slim\n" +
		"ARG INSTALL_SHA256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\n" +
		"RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n" +
		" && echo \"${INSTALL_SHA256}  /tmp/install.sh\" | sha256sum -c - \\\n" +
		" && sh /tmp/install.sh && rm /tmp/install.sh",
	Peers: []rule.Peer{},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#add-or-copy",
		"https://www.idontplaydarts.com/2016/04/detecting-curl-pipe-bash-server-side/",
		"https://slsa.dev/spec/v1.0/threats",
	},
	Subsumes: []rule.Subsumption{{IDs: []string{"DF1806", "DF1507"}, Same: rule.SameInstruction}},
	Check:    eachRun(false, itgCheckPipes),
}

// itgCheckPipes reports the downloads a RUN executes unverified, once per
// line, downloader and interpreter.
func itgCheckPipes(p *rule.Pass, in *df.Instruction) {
	seen := map[string]bool{}
	report := func(r loc.Range, dl, interp, format string) {
		k := fmt.Sprintf("%d\x00%s\x00%s", r.Line, dl, interp)
		if !seen[k] {
			seen[k] = true
			p.Reportf(r, format, dl, interp)
		}
	}
	// curl URL | sh
	for _, c := range in.Script.Commands {
		dl, ok := itgDownloader(c.Name, c.Args)
		if !ok {
			continue
		}
		for n := c.PipeNext; n != nil; n = n.PipeNext {
			if interp, ok := itgStdinInterpreter(n.Name, n.Args); ok {
				report(in.CmdRange(c), dl, interp, "script downloaded by %s is piped into %s and runs unverified")
				break
			}
		}
	}
	// sh -c "$(curl URL)", bash <(curl URL), eval "$(wget -O- URL)":
	// only scripts with a substitution can hold these.
	if !strings.Contains(in.Script.Text, "$(") && !strings.Contains(in.Script.Text, "<(") && !strings.Contains(in.Script.Text, "`") {
		return
	}
	for _, t := range in.Script.Trees {
		syntax.Walk(t.AST, func(n syntax.Node) bool {
			x, ok := n.(*syntax.CallExpr)
			if !ok || len(x.Args) < 2 {
				return true
			}
			interp, words := itgScriptWords(x)
			for _, w := range words {
				for _, y := range itgSubstCalls(w) {
					args := df.StripWrappers(df.Words(y))
					if len(args) == 0 {
						continue
					}
					if dl, ok := itgDownloader(path.Base(args[0]), args[1:]); ok {
						report(t.Range(y), dl, interp, "script downloaded by %s is executed by %s through a substitution and runs unverified")
					}
				}
			}
			return true
		})
	}
}

// itgSubstCalls returns the calls of a command or process substitution
// that makes up the whole of a word ("$(curl URL)", <(curl URL)).
func itgSubstCalls(w *syntax.Word) []*syntax.CallExpr {
	var out []*syntax.CallExpr
	for _, st := range itgWholeSubst(w) {
		syntax.Walk(st, func(m syntax.Node) bool {
			if y, ok := m.(*syntax.CallExpr); ok {
				out = append(out, y)
			}
			return true
		})
	}
	return out
}

var itgCurlOpts = itgOpts{short: "AbcCdDeEFHKmoPQrtTuUwxXyYz", long: map[string]bool{
	"output": true, "header": true, "user-agent": true, "data": true, "data-raw": true, "data-binary": true, "data-urlencode": true,
	"request": true, "user": true, "proxy": true, "cookie": true, "cookie-jar": true, "connect-timeout": true, "max-time": true,
	"retry": true, "retry-delay": true, "retry-max-time": true, "cacert": true, "capath": true, "cert": true, "key": true,
	"form": true, "referer": true, "range": true, "upload-file": true, "write-out": true, "config": true, "dump-header": true,
	"output-dir": true, "resolve": true, "interface": true, "limit-rate": true, "proto": true, "proto-redir": true, "url": true,
}}

var itgWgetOpts = itgOpts{short: "oOaeiBtTwQPUlDRAIXY", long: map[string]bool{
	"output-file": true, "output-document": true, "append-output": true, "execute": true, "input-file": true, "base": true,
	"tries": true, "timeout": true, "wait": true, "quota": true, "directory-prefix": true, "user-agent": true, "header": true,
	"user": true, "password": true, "http-user": true, "http-password": true, "ca-certificate": true, "level": true,
}}

var itgPyFetch = regexp.MustCompile(`urlopen|urllib|requests\.get|urlretrieve|http\.client`)

// itgDownloader reports whether a command fetches a URL and writes what it
// got to standard output, and names the tool.
func itgDownloader(name string, args []string) (string, bool) {
	if name == "busybox" && len(args) > 0 {
		name, args = path.Base(args[0]), args[1:]
	}
	switch name {
	case "curl":
		if itgCurlOpts.has(args, 'O', "remote-name", "remote-name-all") {
			return "", false
		}
		if v, ok := itgOptValue(itgCurlOpts, args, 'o', "output"); ok && v != "-" {
			return "", false
		}
		return name, true
	case "wget":
		if v, ok := itgOptValue(itgWgetOpts, args, 'O', "output-document"); ok && v == "-" {
			return name, true
		}
		return "", false
	case "fetch":
		if v, ok := itgOptValue(itgOpts{short: "oNST", long: map[string]bool{"output": true}}, args, 'o', "output"); ok && v == "-" {
			return name, true
		}
		return "", false
	}
	if itgIsPython(name) {
		for i, a := range args {
			if a == "-c" && i+1 < len(args) && itgPyFetch.MatchString(args[i+1]) {
				return name, true
			}
		}
	}
	return "", false
}

// itgOptValue returns the value of an option given as `-o v`, `-ov`,
// `-xo v` (at the end of a cluster), `--long v` or `--long=v`.
func itgOptValue(o itgOpts, args []string, short byte, long string) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "--") {
			name, v, eq := strings.Cut(a[2:], "=")
			if name == long {
				if eq {
					return v, true
				}
				if i+1 < len(args) {
					return args[i+1], true
				}
				return "", true
			}
			if o.long[name] && !eq {
				i++
			}
			continue
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			for k := 1; k < len(a); k++ {
				if strings.IndexByte(o.short, a[k]) < 0 {
					continue
				}
				rest := a[k+1:]
				if rest == "" && i+1 < len(args) {
					rest = args[i+1]
					i++
				}
				if a[k] == short {
					return rest, true
				}
				break
			}
		}
	}
	return "", false
}

func itgIsPython(name string) bool {
	return name == "python" || name == "pypy" || name == "pypy3" || strings.HasPrefix(name, "python2") || strings.HasPrefix(name, "python3")
}

var itgShOpts = itgOpts{short: "oO", long: map[string]bool{"rcfile": true, "init-file": true}}

// itgStdinInterpreter reports whether a command executes the program it
// reads on standard input, and names it.
func itgStdinInterpreter(name string, args []string) (string, bool) {
	if name == "busybox" && len(args) > 0 {
		name, args = path.Base(args[0]), args[1:]
	}
	stdinOperand := func(ops []itgOperand) bool {
		return len(ops) == 0 || ops[0].Val == "-" || ops[0].Val == "/dev/stdin"
	}
	switch {
	case itgShell(name):
		if itgShOpts.has(args, 'c') {
			return "", false
		}
		if itgShOpts.has(args, 's') || stdinOperand(itgShOpts.operands(args)) {
			return name, true
		}
	case name == "source" || name == ".":
		if len(args) > 0 && (args[0] == "/dev/stdin" || args[0] == "-") {
			return name, true
		}
	case itgIsPython(name):
		o := itgOpts{short: "cmWXQ"}
		if o.has(args, 'c') || o.has(args, 'm') {
			return "", false
		}
		if stdinOperand(o.operands(args)) {
			return name, true
		}
	case name == "perl" || name == "ruby":
		o := itgOpts{short: "eEIrxCF"}
		if o.has(args, 'e') || o.has(args, 'E') {
			return "", false
		}
		if stdinOperand(o.operands(args)) {
			return name, true
		}
	case name == "node" || name == "nodejs" || name == "php":
		o := itgOpts{short: "eprd", long: map[string]bool{"eval": true, "print": true, "require": true}}
		if o.has(args, 'e', "eval") || o.has(args, 'p', "print") || o.has(args, 'r') {
			return "", false
		}
		if stdinOperand(o.operands(args)) {
			return name, true
		}
	}
	return "", false
}

// itgScriptWords returns, for a command that runs a program given as an
// argument (`sh -c SCRIPT`, `bash FILE`, `eval WORDS`, `source FILE`), the
// words holding that program.
func itgScriptWords(x *syntax.CallExpr) (string, []*syntax.Word) {
	words := df.Words(x)
	argv := df.StripWrappers(words)
	if len(argv) == 0 {
		return "", nil
	}
	name := path.Base(argv[0])
	rest := x.Args[len(words)-len(argv)+1:]
	texts := argv[1:]
	switch {
	case name == "eval":
		return name, rest
	case name == "source" || name == ".":
		if len(rest) > 0 {
			return name, rest[:1]
		}
	case itgShell(name) || itgIsPython(name) || name == "perl" || name == "ruby" || name == "node" || name == "nodejs":
		for j, t := range texts {
			if t == "-c" || t == "-e" || (itgShell(name) && strings.HasPrefix(t, "-") && !strings.HasPrefix(t, "--") && strings.HasSuffix(t, "c")) {
				if j+1 < len(rest) {
					return name, rest[j+1 : j+2]
				}
				return "", nil
			}
			if !strings.HasPrefix(t, "-") || t == "-" {
				return name, rest[j : j+1]
			}
		}
	}
	return "", nil
}

// itgShell reports whether a program is a POSIX shell that runs a script
// it is given; busybox alone is a multiplexer, not one.
func itgShell(name string) bool {
	return name != "busybox" && df.IsPOSIXShell([]string{name})
}

// itgWholeSubst returns the statements of a command or process
// substitution that makes up the whole of a word ("$(curl URL)", <(curl URL)).
func itgWholeSubst(w *syntax.Word) []*syntax.Stmt {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return nil
	}
	switch x := parts[0].(type) {
	case *syntax.CmdSubst:
		return x.Stmts
	case *syntax.ProcSubst:
		if x.Op == syntax.CmdIn {
			return x.Stmts
		}
	}
	return nil
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

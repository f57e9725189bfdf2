package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Options steer how a Dockerfile is resolved, mirroring `docker build`.
type Options struct {
	// Target selects the stage a build produces (`--target`); empty means
	// the last stage.
	Target string
	// BuildArgs override ARG defaults (`--build-arg K=V`).
	BuildArgs map[string]string
}

// ErrTargetNotFound is returned (wrapped) when Options.Target names no stage.
var ErrTargetNotFound = errors.New("target stage not found")

// maxRecoveries bounds how many parse errors are skipped over before the
// rest of a file is given up on; it keeps hostile input from looping.
const maxRecoveries = 64

// builtinArgs are the platform arguments BuildKit defines automatically in
// the global scope.
var builtinArgs = map[string]string{
	"TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETARCH": "amd64", "TARGETVARIANT": "",
	"BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux", "BUILDARCH": "amd64", "BUILDVARIANT": "",
	"TARGETSTAGE": "",
}

// Parse builds the model of one Dockerfile. It returns an error only when
// the options cannot be satisfied (an unknown --target); problems in the
// file itself are recorded in File.Errors.
func Parse(name string, src []byte, opts Options) (*File, error) {
	f := &File{Path: name, Source: src, Escape: '\\', BuildArgs: opts.BuildArgs}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	f.Lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	f.collectComments()
	if mayHaveDirectives(src) {
		if v, _, _, ok := parser.DetectSyntax(src); ok {
			f.Syntax = v
		}
		if v, _, _, ok := parser.ParseDirective("check", src); ok {
			f.Check = v
		}
	}

	ast := f.parseRecovering(f.blankLongLines([]byte(text)))
	if ast == nil {
		return f, nil
	}
	if n := len(ast.Children); n > MaxInstructions {
		// No image can be built from such a file (Docker stops at 127
		// layers), and rules over it would cost more than any real
		// Dockerfile; it is reported, not linted.
		f.Errors = append(f.Errors, ParseError{Range: loc.Line(ast.Children[MaxInstructions].StartLine),
			Message: fmt.Sprintf("the file has %d instructions, more than the %d shipshape lints (a Docker build stops at 127 layers); it was not checked further", n, MaxInstructions)})
		return f, nil
	}
	f.build(ast, opts)
	if opts.Target != "" {
		var found *Stage
		for _, s := range f.Stages {
			if s.Name == strings.ToLower(opts.Target) {
				found = s
			}
		}
		if found == nil {
			return f, fmt.Errorf("%w: %q", ErrTargetNotFound, opts.Target)
		}
		f.Target = found
	} else if len(f.Stages) > 0 {
		f.Target = f.Stages[len(f.Stages)-1]
	}
	f.markInTarget()
	f.markShips()
	return f, nil
}

// mayHaveDirectives is false when BuildKit's DetectSyntax and
// ParseDirective cannot find anything in src, so that they need not run
// (each scans the file with a fresh 4 KiB buffer, DetectSyntax three times
// over: a tenth of the bytes the parse of a typical Dockerfile allocated).
// They skip a byte-order mark and a first line starting with "#!"; then a
// directive is on a first line starting with "#" or "//" (the line is not
// trimmed), or the whole input is a JSON object, which starts with "{"
// after JSON white space.
func mayHaveDirectives(src []byte) bool {
	dt := bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if line, rest, _ := bytes.Cut(dt, []byte("\n")); bytes.HasPrefix(line, []byte("#!")) {
		dt = rest
	}
	if len(dt) > 0 && (dt[0] == '#' || dt[0] == '/') {
		return true
	}
	dt = bytes.TrimLeft(dt, " \t\r\n")
	return len(dt) > 0 && dt[0] == '{'
}

// MaxLineBytes is the longest line BuildKit's parser reads; a longer one
// makes it reject the file.
const MaxLineBytes = 65535

// MaxInstructions bounds the instructions of a file that is linted.
const MaxInstructions = 10000

// blankLongLines records every line longer than BuildKit accepts as a
// parse error at that line and blanks it, so that the rest of the file is
// still parsed and checked (BuildKit itself would name no line).
func (f *File) blankLongLines(src []byte) []byte {
	var out [][]byte
	lines := bytes.Split(src, []byte("\n"))
	for i, l := range lines {
		if len(l) <= MaxLineBytes {
			continue
		}
		if out == nil {
			out = append([][]byte(nil), lines...)
		}
		out[i] = nil
		f.Errors = append(f.Errors, ParseError{Range: loc.Line(i + 1),
			Message: fmt.Sprintf("line %d is %d bytes long; BuildKit reads lines of up to %d bytes and rejects the file", i+1, len(l), MaxLineBytes)})
	}
	if out == nil {
		return src
	}
	return bytes.Join(out, []byte("\n"))
}

func (f *File) collectComments() {
	for i, l := range f.Lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			f.Comments = append(f.Comments, Comment{Line: i + 1, Text: strings.TrimSpace(t[1:])})
		}
	}
}

// parseRecovering runs BuildKit's parser; on an error it records it, blanks
// the offending lines and tries again, so one bad instruction does not hide
// the rest of the file.
func (f *File) parseRecovering(src []byte) *parser.Node {
	var lines [][]byte // split only once an error needs blanking out
	for attempt := 0; attempt <= maxRecoveries; attempt++ {
		text := src
		if lines != nil {
			text = bytes.Join(lines, []byte("\n"))
		}
		res, err := parser.Parse(bytes.NewReader(text))
		if err == nil {
			f.Escape = res.EscapeToken
			return res.AST
		}
		start, end := errorLines(err)
		msg := errorMessage(err)
		if res != nil && res.AST != nil && start == 0 {
			f.Escape = res.EscapeToken
			return res.AST
		}
		if msg == "file with no instructions" {
			f.Errors = append(f.Errors, ParseError{Range: loc.Line(max(1, len(f.Lines))), Message: "the file has no instructions"})
			return nil
		}
		if lines == nil {
			lines = bytes.Split(src, []byte("\n"))
		}
		if start <= 0 || start > len(lines) {
			f.Errors = append(f.Errors, ParseError{Range: loc.Line(max(1, min(start, len(f.Lines)))), Message: msg})
			return nil
		}
		f.Errors = append(f.Errors, ParseError{Range: loc.Range{Line: start, EndLine: max(start, end)}, Message: msg})
		if end < start {
			end = start
		}
		for i := start; i <= end && i <= len(lines); i++ {
			lines[i-1] = nil
		}
	}
	return nil
}

func errorLines(err error) (int, int) {
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		rs := le.Locations[0]
		return rs[0].Start.Line, rs[len(rs)-1].End.Line
	}
	return 0, 0
}

// errorMessage strips the location prefixes BuildKit adds.
func errorMessage(err error) string {
	var le *parser.LocationError
	if errors.As(err, &le) {
		err = le.Unwrap()
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "dockerfile parse error on line ")
	return msg
}

var windowsImage = regexp.MustCompile(`(?i)(^|[/:-])(windows|nanoserver|servercore|windowsservercore)([:/@-]|$)|mcr\.microsoft\.com/(windows|dotnet/framework)|[:-]ltsc20[0-9][0-9]`)

// windowsWords are literals of which every alternative of windowsImage
// needs one, in lower case.
var windowsWords = []string{"windows", "nanoserver", "servercore", "mcr.microsoft.com/", "ltsc20"}

// isWindowsImage is windowsImage.MatchString(s). An ASCII name without any
// of windowsWords (case aside) cannot match, and is answered without the
// expression, which has no literal prefix to search for and was 1% of a
// lint's CPU; other names (the case folding of (?i) maps a few non-ASCII
// letters to ASCII ones) go to the expression.
func isWindowsImage(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return windowsImage.MatchString(s)
		}
	}
	lower := strings.ToLower(s)
	for _, w := range windowsWords {
		if strings.Contains(lower, w) {
			return windowsImage.MatchString(s)
		}
	}
	return false
}

func isWindowsShell(sh []string) bool {
	if len(sh) == 0 {
		return false
	}
	b := strings.ToLower(path.Base(strings.ReplaceAll(sh[0], `\`, "/")))
	return strings.HasPrefix(b, "powershell") || strings.HasPrefix(b, "pwsh") || strings.HasPrefix(b, "cmd")
}

func atoiOK(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
		if n > 1<<20 {
			return 0, false
		}
	}
	return n, true
}

func (f *File) addErr(in *Instruction, err error) {
	if err == nil {
		return
	}
	f.Errors = append(f.Errors, ParseError{Range: loc.Range{Line: in.Range.Line, Col: in.Range.Col, EndLine: in.Range.Line}, Message: errorMessage(err)})
}

// keywordCol returns the 1-based column where an instruction keyword starts.
func (f *File) keywordCol(line int, kw string) int {
	if line < 1 || line > len(f.Lines) {
		return 1
	}
	l := f.Lines[line-1]
	if i := strings.Index(strings.ToLower(l), strings.ToLower(kw)); i >= 0 {
		return i + 1
	}
	return 1
}

// markInTarget flags the stages the target stage needs.
func (f *File) markInTarget() {
	if f.Target == nil {
		return
	}
	var mark func(s *Stage)
	mark = func(s *Stage) {
		if s.InTarget {
			return
		}
		s.InTarget = true
		for _, d := range s.DependsOn {
			mark(d)
		}
	}
	mark(f.Target)
}

// buildScript prepares the shell model of a RUN.
func (f *File) buildScript(in *Instruction, c *instructions.RunCommand, st *Stage) *Script {
	s := &Script{Exec: !c.PrependShell}
	for _, h := range in.Node.Heredocs {
		s.Heredocs = append(s.Heredocs, Heredoc{Name: h.Name, Content: h.Content})
	}
	// Mount flags are only decoded on expansion; use the stage's variables.
	cp := *c
	if err := cp.Expand(func(w string) (string, error) { v, _ := in.Vars.Expand(w, f.Escape); return v, nil }); err == nil {
		s.Mounts = instructions.GetMounts(&cp)
	}
	if st.Windows || !IsPOSIXShell(in.Shell) {
		return s
	}
	if s.Exec {
		args := c.CmdLine
		if len(args) >= 3 && posixShells[path.Base(args[0])] && strings.HasPrefix(args[1], "-") && strings.Contains(args[1], "c") {
			s.Text = args[2]
			s.lineOffset = in.Range.Line - 1
			s.parse(s.Text, true)
			return s
		}
		if len(args) > 0 {
			cmd := &Cmd{Path: args[0], Name: path.Base(args[0]), Args: args[1:], Assigns: map[string]string{}, Range: in.Start()}
			s.Commands = append(s.Commands, cmd)
		}
		return s
	}
	s.Text = f.shellText(in)
	s.lineOffset = in.Range.Line - 1
	s.parse(s.Text, false)
	return s
}

func (s *Script) parse(text string, nested bool) {
	file, err := parseBash(text)
	if err != nil {
		s.ParseErr = err
		return
	}
	s.AST = file
	s.Trees = append(s.Trees, Tree{AST: file, Offset: s.lineOffset, Nested: nested})
	s.collect(file, s.lineOffset, nested, 0)
}

// shellText returns the RUN's shell source with every character kept at its
// column, line 1 being the instruction's first line (Script.lineOffset maps
// it back): the keyword and flags are blanked, comment lines
// inside the continuation become bare continuations (BuildKit drops them),
// and heredoc bodies stay as written for the shell parser to read.
func (f *File) shellText(in *Instruction) string {
	start, end := in.Range.Line, in.Range.EndLine
	if end > len(f.Lines) {
		end = len(f.Lines)
	}
	var b strings.Builder
	esc := string(f.Escape)
	inCont := true
	for ln := start; ln <= end; ln++ {
		line := f.Lines[ln-1]
		if ln > start && inCont {
			t := strings.TrimSpace(line)
			if t == "" || strings.HasPrefix(t, "#") {
				b.WriteString(strings.Repeat(" ", max(0, len(line)-1)))
				b.WriteString("\\\n")
				continue
			}
		}
		if inCont {
			trimmed := strings.TrimRight(line, " \t")
			if strings.HasSuffix(trimmed, esc) {
				if esc != `\` {
					line = trimmed[:len(trimmed)-1] + `\`
				}
			} else {
				inCont = false
			}
		}
		if ln == start {
			line = blankPrefix(line, in.Range.Col-1+len(in.KeywordAsWritten))
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	text := b.String()
	return blankFlags(text, in)
}

func blankPrefix(line string, n int) string {
	if n > len(line) {
		n = len(line)
	}
	return strings.Repeat(" ", n) + line[n:]
}

// blankFlags replaces the leading `--flag=value` words of a RUN with spaces.
func blankFlags(text string, in *Instruction) string {
	if len(in.Flags) == 0 {
		return text
	}
	b := []byte(text)
	i := 0
	for remaining := len(in.Flags); remaining > 0 && i < len(b); {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || (b[i] == '\\' && i+1 < len(b) && b[i+1] == '\n')) {
			i++
		}
		if i+1 >= len(b) || b[i] != '-' || b[i+1] != '-' {
			break
		}
		quote := byte(0)
		for i < len(b) && (quote != 0 || (b[i] != ' ' && b[i] != '\t' && b[i] != '\n')) {
			switch {
			case quote == 0 && (b[i] == '"' || b[i] == '\''):
				quote = b[i]
			case quote != 0 && b[i] == quote:
				quote = 0
			}
			b[i] = ' '
			i++
		}
		remaining--
	}
	return string(b)
}

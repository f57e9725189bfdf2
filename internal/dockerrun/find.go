package dockerrun

import (
	"errors"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Kind is the kind of file `docker run` lines are looked for in.
type Kind string

// Kinds of files.
const (
	Script   Kind = "script"
	Makefile Kind = "makefile"
	Workflow Kind = "workflow"
)

var reShebang = regexp.MustCompile(`^#!\s*\S*(/|\s)(env\s+)?(ba|da|k|z|a)?sh\b`)

// HasShellShebang reports whether content starts with a sh/bash shebang.
func HasShellShebang(data []byte) bool {
	line, _, _ := strings.Cut(string(data[:min(len(data), 256)]), "\n")
	return reShebang.MatchString(line)
}

// KindByName says what a file is by its path alone: shell scripts
// (*.sh, *.bash), Makefiles (Makefile, GNUmakefile, *.mk) and CI
// workflows (.github/workflows/*.yml, .gitlab-ci.yml).
func KindByName(path string) (Kind, bool) {
	base := filepath.Base(path)
	lb := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lb, ".sh") || strings.HasSuffix(lb, ".bash"):
		return Script, true
	case base == "Makefile" || base == "makefile" || base == "GNUmakefile" || strings.HasSuffix(lb, ".mk"):
		return Makefile, true
	case strings.HasSuffix(lb, ".gitlab-ci.yml") || strings.HasSuffix(lb, ".gitlab-ci.yaml"):
		return Workflow, true
	case strings.HasSuffix(lb, ".yml") || strings.HasSuffix(lb, ".yaml"):
		dir := filepath.ToSlash(filepath.Dir(path))
		if strings.HasSuffix(dir, ".github/workflows") || strings.HasSuffix(dir, ".gitea/workflows") || strings.HasSuffix(dir, ".forgejo/workflows") {
			return Workflow, true
		}
	}
	return "", false
}

// Find returns the `docker run`, `docker create`, `docker container run`
// and `podman run` commands of a file as a project, one Spec per command,
// each located at the line where the command starts.
func Find(path string, data []byte, kind Kind, o Options) *container.Project {
	p := &container.Project{Source: container.SourceDockerRun, File: path, Where: container.Pos{File: path, Range: loc.Line(1)}}
	f := &finder{path: path, opts: o, p: p}
	switch kind {
	case Makefile:
		f.makefile(string(data))
		p.Comments = shellComments(path, data)
	case Workflow:
		f.workflow(data)
		p.Comments = compose.Comments(path, data)
	default:
		f.shell(string(data), 0, true)
		p.Comments = shellComments(path, data)
	}
	return p
}

// ErrNotDockerRun is returned by Command for a line that is not a
// container run command.
var ErrNotDockerRun = errors.New("not a docker/podman run or create command")

// Command parses one command line given directly (`shipshape lint
// --docker-run 'docker run ...'`); name is what findings show as the file.
func Command(name, text string, o Options) (*container.Project, error) {
	p := &container.Project{Source: container.SourceDockerRun, File: name, Where: container.Pos{File: name, Range: loc.Line(1)}}
	f := &finder{path: name, opts: o, p: p}
	if _, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), name); err != nil {
		return nil, err
	}
	f.shell(text, 0, true)
	if len(p.Specs) == 0 {
		return nil, ErrNotDockerRun
	}
	p.Comments = shellComments(name, []byte(text))
	return p, nil
}

type finder struct {
	path string
	opts Options
	p    *container.Project
}

// shell parses a shell snippet whose first line is line lineOffset+1 of
// the file. When the whole snippet does not parse, each logical line is
// tried on its own so that one odd construct does not hide the rest.
func (f *finder) shell(src string, lineOffset int, keepCols bool) {
	parser := syntax.NewParser(syntax.Variant(syntax.LangBash))
	file, err := parser.Parse(strings.NewReader(src), "")
	if err == nil {
		f.walk(file, src, lineOffset, keepCols)
		return
	}
	for _, ll := range logicalLines(src) {
		if !mentionsContainers(ll.text) {
			continue
		}
		file, err := parser.Parse(strings.NewReader(ll.text), "")
		if err != nil {
			continue
		}
		f.walk(file, ll.text, lineOffset+ll.line-1, keepCols)
	}
}

func (f *finder) walk(file *syntax.File, src string, lineOffset int, keepCols bool) {
	syntax.Walk(file, func(n syntax.Node) bool {
		before := len(f.p.TrustOff)
		f.contentTrust(n, src, lineOffset)
		for i := before; !keepCols && i < len(f.p.TrustOff); i++ {
			r := &f.p.TrustOff[i].Where.Range
			*r = loc.Range{Line: r.Line, EndLine: r.EndLine}
		}
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		ws := words(call, src, lineOffset)
		if !keepCols {
			for i := range ws {
				ws[i].pos = loc.Range{Line: ws[i].pos.Line, EndLine: ws[i].pos.EndLine}
			}
		}
		c, ok := recognise(ws)
		if !ok {
			return true
		}
		f.p.Specs = append(f.p.Specs, toSpec(f.path, c, f.opts))
		return true
	})
}

type logicalLine struct {
	line int // 1-based first physical line
	text string
}

// logicalLines joins backslash-continued lines.
func logicalLines(src string) []logicalLine {
	var out []logicalLine
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		var b strings.Builder
		for {
			l := strings.TrimSuffix(lines[i], "\r")
			if strings.HasSuffix(l, "\\") && i+1 < len(lines) {
				b.WriteString(l)
				b.WriteByte('\n')
				i++
				continue
			}
			b.WriteString(l)
			break
		}
		out = append(out, logicalLine{line: start + 1, text: b.String()})
	}
	return out
}

// makefile looks at recipe lines (those starting with a tab), turning make
// syntax into shell: `$$` is `$`, `$(VAR)` is `${VAR}`, and make functions
// and automatic variables become an opaque word.
func (f *finder) makefile(src string) {
	for _, ll := range logicalLines(src) {
		if !strings.HasPrefix(ll.text, "\t") {
			// `target: ; cmd` recipes on the rule line.
			if _, recipe, ok := strings.Cut(ll.text, ": ;"); ok && !strings.HasPrefix(ll.text, "#") {
				f.recipe(recipe, ll.line)
			}
			continue
		}
		f.recipe(ll.text, ll.line)
	}
}

func (f *finder) recipe(text string, line int) {
	text = strings.TrimLeft(text, "\t ")
	text = strings.TrimLeft(text, "@-+")
	if !strings.Contains(text, "docker") && !strings.Contains(text, "podman") && !strings.Contains(text, "nerdctl") {
		return
	}
	// Continuation lines of a recipe start with a tab that make removes.
	text = strings.ReplaceAll(text, "\\\n\t", "\\\n")
	f.shell(unmake(text), line-1, false)
}

var reMakeName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// unmake rewrites make variable references for the shell parser.
func unmake(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		next := s[i+1]
		switch next {
		case '$':
			b.WriteByte('$')
			i++
		case '(', '{':
			closer := byte(')')
			if next == '{' {
				closer = '}'
			}
			depth, j := 0, i+1
			for ; j < len(s); j++ {
				if s[j] == next {
					depth++
				} else if s[j] == closer {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j >= len(s) {
				b.WriteString(s[i:])
				return b.String()
			}
			inner := s[i+2 : j]
			if reMakeName.MatchString(inner) {
				b.WriteString("${" + inner + "}")
			} else {
				b.WriteString("__make__")
			}
			i = j
		default:
			b.WriteString("__make__")
			i++
		}
	}
	return b.String()
}

// ciKeys are the workflow keys whose values are shell: GitHub Actions
// `run:`, GitLab `script:`, `before_script:`, `after_script:`, and
// CircleCI's `run: {command: ...}`.
var ciKeys = map[string]bool{"run": true, "script": true, "before_script": true, "after_script": true, "command": true}

func (f *finder) workflow(data []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return
	}
	var visit func(n *yaml.Node, depth int)
	visit = func(n *yaml.Node, depth int) {
		if n == nil || depth > 64 {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				visit(c, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if ciKeys[k.Value] {
					f.ciValue(v)
				}
				if k.Value == contentTrustVar && v.Kind == yaml.ScalarNode && trustOffValue(v.Value) {
					f.trustOff(loc.Range{Line: k.Line, Col: k.Column, EndLine: v.Line, EndCol: v.Column + len(v.Value)}, k.Value+": "+v.Value)
				}
				visit(v, depth+1)
			}
		}
	}
	visit(&doc, 0)
}

func (f *finder) ciValue(v *yaml.Node) {
	switch v.Kind {
	case yaml.ScalarNode:
		if !mentionsContainers(v.Value) {
			return
		}
		offset := v.Line - 1
		if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			offset = v.Line
		}
		f.shell(v.Value, offset, false)
	case yaml.SequenceNode:
		for _, it := range v.Content {
			if it.Kind == yaml.ScalarNode {
				f.ciValue(it)
			}
		}
	}
}

// shellComments lists `#` comments: whole lines, and trailing ones after
// white space outside quotes.
func shellComments(path string, data []byte) []container.Comment {
	var out []container.Comment
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(trimmed, "#") {
			if i == 0 && strings.HasPrefix(trimmed, "#!") {
				continue
			}
			out = append(out, container.Comment{File: path, Line: i + 1, Text: trimmed})
			continue
		}
		var quote byte
		for j := 0; j < len(line); j++ {
			c := line[j]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '\'' || c == '"':
				quote = c
			case c == '#' && j > 0 && (line[j-1] == ' ' || line[j-1] == '\t'):
				out = append(out, container.Comment{File: path, Line: i + 1, Text: line[j:], Trailing: true})
				j = len(line)
			}
		}
	}
	return out
}

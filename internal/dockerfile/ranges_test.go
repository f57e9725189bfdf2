package dockerfile_test

import (
	"testing"

	"mvdan.cc/sh/v3/syntax"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/loc"
)

// rng builds a one-line range.
func rng(line, col, endCol int) loc.Range {
	return loc.Range{Line: line, Col: col, EndLine: line, EndCol: endCol}
}

// firstRun returns the first RUN of f and its commands.
func firstRun(t *testing.T, f *dockerfile.File) (*dockerfile.Instruction, []*dockerfile.Cmd) {
	t.Helper()
	for in := range f.Runs() {
		return in, in.Script.Commands
	}
	t.Fatal("no RUN")
	return nil, nil
}

func TestFlagRange(t *testing.T) {
	f := parse(t, "FROM --platform=linux/arm64 alpine AS a\nFROM alpine\n")
	if got, want := f.Stages[0].From.FlagRange("PLATFORM"), rng(1, 6, 28); got != want {
		t.Errorf("FlagRange = %+v, want %+v", got, want)
	}
	if got := f.Stages[1].From.FlagRange("platform"); got != f.Stages[1].From.Start() {
		t.Errorf("missing flag: FlagRange = %+v, want the keyword", got)
	}
}

func TestBaseRange(t *testing.T) {
	f := parse(t, "FROM --platform=alpine alpine AS alpine\nFROM scratch\n")
	if got, want := f.Stages[0].BaseRange(), rng(1, 24, 30); got != want {
		t.Errorf("BaseRange = %+v, want %+v (the image, not the flag or the name)", got, want)
	}
	if got, want := f.Stages[1].BaseRange(), rng(2, 6, 13); got != want {
		t.Errorf("BaseRange = %+v, want %+v", got, want)
	}
}

func TestCmdRangeAndSpanTo(t *testing.T) {
	f := parse(t, "FROM alpine\nRUN apk add curl && \\\n    sudo make install\nRUN [\"make\", \"all\"]\nRUN sh -c 'make'\n")
	rs := runs(f)
	cases := []struct {
		name      string
		run, cmd  int
		cmdRange  loc.Range
		spanRange loc.Range
	}{
		{"first line", 0, 0, rng(2, 5, 8), rng(2, 1, 8)},
		// Behind sudo the word's end is unknown; SpanTo estimates it from
		// where the command starts, as peers' positions do.
		{"behind sudo", 0, 1, loc.Range{Line: 3, Col: 5, EndLine: 3}, loc.Range{Line: 2, Col: 1, EndLine: 3, EndCol: 9}},
		// The exec form has no word positions: CmdRange is the keyword,
		// SpanTo keeps its estimate from the keyword's column.
		{"exec form", 1, 0, rs[1].Start(), rng(4, 1, 5)},
		{"sh -c", 2, 1, loc.Range{Line: 5, EndLine: 5}, rs[2].Start()},
	}
	for _, c := range cases {
		in := rs[c.run]
		cmd := in.Script.Commands[c.cmd]
		if got := in.CmdRange(cmd); got != c.cmdRange {
			t.Errorf("%s: CmdRange = %+v, want %+v", c.name, got, c.cmdRange)
		}
		if got := in.SpanTo(cmd); got != c.spanRange {
			t.Errorf("%s: SpanTo = %+v, want %+v", c.name, got, c.spanRange)
		}
	}
	if got := rs[0].SpanTo(nil); got != rs[0].Start() {
		t.Errorf("no command: SpanTo = %+v", got)
	}
}

func TestArgAndAssignRange(t *testing.T) {
	f := parse(t, "FROM alpine\nRUN GIT_SSL_NO_VERIFY=1 sudo curl -k https://x\nRUN [\"curl\", \"-k\"]\n")
	rs := runs(f)
	c := rs[0].Script.Commands[0]
	if c.Call() == nil {
		t.Fatal("Call() = nil for a shell command")
	}
	if got, want := rs[0].ArgRange(c, 0), rng(2, 35, 37); got != want {
		t.Errorf("ArgRange(-k) = %+v, want %+v", got, want)
	}
	if got := rs[0].ArgRange(c, 5); got != rs[0].CmdRange(c) {
		t.Errorf("ArgRange out of range = %+v, want CmdRange", got)
	}
	if got, want := rs[0].AssignRange(c, "GIT_SSL_NO_VERIFY"), rng(2, 5, 24); got != want {
		t.Errorf("AssignRange = %+v, want %+v", got, want)
	}
	if got := rs[0].AssignRange(c, "HOME"); got != rs[0].CmdRange(c) {
		t.Errorf("AssignRange of an unset name = %+v, want CmdRange", got)
	}
	exec := rs[1].Script.Commands[0]
	if exec.Call() != nil || rs[1].ArgRange(exec, 0) != rs[1].Start() {
		t.Error("exec form has a call or an argument position")
	}
}

func TestTreeAndNodeRange(t *testing.T) {
	f := parse(t, "FROM alpine\nRUN echo $(id -u) && sh -c 'echo $(id -g)'\n")
	in, cs := firstRun(t, f)
	var got []loc.Range
	for _, tr := range in.Script.Trees {
		syntax.Walk(tr.AST, func(n syntax.Node) bool {
			if x, ok := n.(*syntax.CmdSubst); ok {
				got = append(got, tr.Range(x))
			}
			return true
		})
	}
	want := []loc.Range{rng(2, 10, 18), {Line: 2, EndLine: 2}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Tree.Range of substitutions = %+v, want %+v", got, want)
	}
	x := cs[0].Call()
	if r := in.NodeRange(cs[0], x.Args[1]); r != want[0] {
		t.Errorf("NodeRange = %+v, want %+v", r, want[0])
	}
	if r := in.NodeRange(cs[0], nil); r != in.CmdRange(cs[0]) {
		t.Errorf("NodeRange(nil) = %+v, want CmdRange", r)
	}
}

func TestCommentRange(t *testing.T) {
	f := parse(t, "FROM alpine\n  # shipshape ignore=DF1103\nRUN true\n")
	if got, want := f.CommentRange(2), rng(2, 3, 28); got != want {
		t.Errorf("CommentRange = %+v, want %+v", got, want)
	}
	if got := f.CommentRange(3); got != loc.Line(3) {
		t.Errorf("no comment: CommentRange = %+v, want the line", got)
	}
}

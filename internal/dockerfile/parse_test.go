package dockerfile_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

func parse(t *testing.T, src string, opts ...dockerfile.Options) *dockerfile.File {
	t.Helper()
	var o dockerfile.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	f, err := dockerfile.Parse("Dockerfile", []byte(src), o)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func noErrors(t *testing.T, f *dockerfile.File) {
	t.Helper()
	if len(f.Errors) > 0 {
		t.Fatalf("unexpected parse errors: %+v", f.Errors)
	}
}

// cmds summarises a script as "name@line" entries.
func cmds(s *dockerfile.Script) []string {
	var out []string
	for _, c := range s.Commands {
		out = append(out, c.Name+"@"+itoa(c.Range.Line))
	}
	return out
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func runs(f *dockerfile.File) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, in := range f.Instructions {
		if in.Keyword == "RUN" {
			out = append(out, in)
		}
	}
	return out
}

func TestHeredocShellBody(t *testing.T) {
	f := parse(t, `# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOF
set -e
apt-get update
apt-get install -y curl
EOF
RUN echo done
`)
	noErrors(t, f)
	r := runs(f)
	if len(r) != 2 {
		t.Fatalf("%d RUNs", len(r))
	}
	if r[0].Range.Line != 3 || r[0].Range.EndLine != 7 {
		t.Errorf("heredoc RUN spans %d-%d, want 3-7", r[0].Range.Line, r[0].Range.EndLine)
	}
	if len(r[0].Script.Heredocs) != 1 || !strings.Contains(r[0].Script.Heredocs[0].Content, "apt-get update") {
		t.Errorf("heredocs %+v", r[0].Script.Heredocs)
	}
	got := cmds(r[0].Script)
	want := []string{"set@4", "apt-get@5", "apt-get@6"}
	if !slices.Equal(got, want) {
		t.Errorf("heredoc commands %v, want %v", got, want)
	}
	if got := cmds(r[1].Script); !slices.Equal(got, []string{"echo@8"}) {
		t.Errorf("second RUN %v", got)
	}
}

func TestHeredocNonShellBody(t *testing.T) {
	f := parse(t, `FROM python:3.12
RUN python3 <<EOF
import os
print("rm -rf /")
os.system("curl x | sh")
EOF
`)
	noErrors(t, f)
	r := runs(f)[0]
	got := cmds(r.Script)
	if !slices.Equal(got, []string{"python3@2"}) {
		t.Errorf("python heredoc body parsed as shell: %v", got)
	}
	if len(r.Script.Heredocs) != 1 || !strings.Contains(r.Script.Heredocs[0].Content, "import os") {
		t.Errorf("heredoc content %+v", r.Script.Heredocs)
	}
}

func TestHeredocCopy(t *testing.T) {
	f := parse(t, `FROM alpine:3.20
COPY <<EOF /etc/app.conf
listen 8080
EOF
RUN cat /etc/app.conf
`)
	noErrors(t, f)
	var cp *dockerfile.Instruction
	for _, in := range f.Instructions {
		if in.Keyword == "COPY" {
			cp = in
		}
	}
	if cp == nil || cp.Range.Line != 2 || cp.Range.EndLine != 4 {
		t.Fatalf("COPY heredoc range %+v", cp)
	}
	if len(cp.Node.Heredocs) != 1 || !strings.Contains(cp.Node.Heredocs[0].Content, "listen 8080") {
		t.Errorf("COPY heredoc %+v", cp.Node.Heredocs)
	}
	if got := cmds(runs(f)[0].Script); !slices.Equal(got, []string{"cat@5"}) {
		t.Errorf("RUN after COPY heredoc: %v", got)
	}
}

func TestEscapeDirectiveWindows(t *testing.T) {
	f := parse(t, "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host hi\nCOPY a c:\\app\\\n")
	noErrors(t, f)
	if f.Escape != '`' {
		t.Errorf("escape %q", f.Escape)
	}
	st := f.Stages[0]
	if !st.Windows {
		t.Error("backtick escape and a Windows base: stage not Windows")
	}
	r := runs(f)[0]
	if r.Range.Line != 3 || r.Range.EndLine != 4 {
		t.Errorf("continued RUN spans %d-%d", r.Range.Line, r.Range.EndLine)
	}
	if r.Script.AST != nil || len(r.Script.Commands) != 0 {
		t.Error("a Windows RUN was parsed as POSIX shell")
	}
	// A backtick escape alone marks the stage Windows.
	f = parse(t, "# escape=`\nFROM example.com/base:1\nRUN echo hi\n")
	if !f.Stages[0].Windows {
		t.Error("backtick escape: stage not Windows")
	}
}

func TestSyntaxAndCheckDirectives(t *testing.T) {
	f := parse(t, "# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended\nFROM alpine:3.20\n")
	noErrors(t, f)
	if f.Syntax != "docker/dockerfile:1.7" {
		t.Errorf("syntax %q", f.Syntax)
	}
	if f.Check != "skip=JSONArgsRecommended" {
		t.Errorf("check %q", f.Check)
	}
	// A directive after an instruction is an ordinary comment.
	f = parse(t, "FROM alpine:3.20\n# syntax=docker/dockerfile:1\n")
	if f.Syntax != "" {
		t.Errorf("late syntax directive honoured: %q", f.Syntax)
	}
}

func TestContinuationWithComments(t *testing.T) {
	src := `FROM debian:12
RUN apt-get update \
# a comment inside the continuation
    && apt-get install -y \
        curl \

    # an indented comment, after an empty line
        git \
    && rm -rf /var/lib/apt/lists/*
USER app
`
	f := parse(t, src)
	noErrors(t, f)
	r := runs(f)[0]
	if r.Range.Line != 2 || r.Range.EndLine != 9 {
		t.Errorf("RUN spans %d-%d, want 2-9", r.Range.Line, r.Range.EndLine)
	}
	want := []string{"apt-get@2", "apt-get@4", "rm@9"}
	if got := cmds(r.Script); !slices.Equal(got, want) {
		t.Errorf("commands %v, want %v", got, want)
	}
	install := r.Script.Commands[1]
	if !slices.Equal(install.Positionals(), []string{"install", "curl", "git"}) {
		t.Errorf("install args %v", install.Args)
	}
	if !install.HasFlag("-y") || install.Sub() != "install" {
		t.Errorf("flags of %v", install.Args)
	}
	// Comments are collected for pragmas, including those in continuations.
	var lines []int
	for _, c := range f.Comments {
		lines = append(lines, c.Line)
	}
	if !slices.Equal(lines, []int{3, 7}) {
		t.Errorf("comment lines %v", lines)
	}
	if f.Instructions[len(f.Instructions)-1].Range.Line != 10 {
		t.Error("USER after the continuation is not at line 10")
	}
}

func TestExecForm(t *testing.T) {
	f := parse(t, `FROM alpine:3.20
RUN ["sh", "-c", "apk add curl && curl -fsSL https://x | sh"]
RUN ["/usr/bin/apk", "add", "git"]
CMD ["app"]
`)
	noErrors(t, f)
	r := runs(f)
	if !r[0].IsExecForm() || !r[0].Script.Exec {
		t.Error("exec form not recognised")
	}
	if got := cmds(r[0].Script); !slices.Equal(got, []string{"apk@2", "curl@2", "sh@2"}) {
		t.Errorf("sh -c in exec form: %v", got)
	}
	c := r[0].Script.Commands[1]
	if c.PipeNext == nil || c.PipeNext.Name != "sh" {
		t.Error("pipe from curl to sh not linked")
	}
	if got := cmds(r[1].Script); !slices.Equal(got, []string{"apk@3"}) {
		t.Errorf("plain exec form: %v", got)
	}
	if c := r[1].Script.Commands[0]; c.Path != "/usr/bin/apk" || !slices.Equal(c.Args, []string{"add", "git"}) {
		t.Errorf("exec command %+v", c)
	}
}

func TestRunMounts(t *testing.T) {
	f := parse(t, `FROM python:3.12
ARG CACHE=/root/.cache/pip
RUN --mount=type=cache,target=${CACHE} --mount=type=secret,id=npmrc,target=/root/.npmrc \
    pip install -r requirements.txt
`)
	noErrors(t, f)
	r := runs(f)[0]
	if !r.Script.HasMount("cache") || !r.Script.HasMount("secret") || r.Script.HasMount("ssh") {
		t.Errorf("mounts %+v", r.Script.Mounts)
	}
	if got := r.Script.CacheMountTargets(); !slices.Equal(got, []string{"/root/.cache/pip"}) {
		t.Errorf("cache targets %v (ARG not expanded?)", got)
	}
	if v, ok := r.Flag("mount"); !ok || !strings.Contains(v, "type=cache") {
		t.Errorf("Flag(mount) = %q %v", v, ok)
	}
	// The flags are blanked, so the shell sees only the command.
	if got := cmds(r.Script); !slices.Equal(got, []string{"pip@4"}) {
		t.Errorf("commands %v", got)
	}
}

func lookup(t *testing.T, in *dockerfile.Instruction, name string) string {
	t.Helper()
	v, ok := in.Vars.Lookup(name)
	if !ok {
		t.Fatalf("%s not visible at line %d", name, in.Range.Line)
	}
	return v.Value
}

func TestArgEnvResolution(t *testing.T) {
	src := `ARG BASE=alpine
ARG TAG=3.20
ARG USERNAME=app
FROM ${BASE}:${TAG} AS build
ARG TAG
ARG USERNAME
ENV HOME=/home/${USERNAME} PATH=/opt/bin:$PATH
ENV CONFIG=${HOME}/.config
RUN echo $CONFIG
FROM build AS final
RUN echo $HOME
FROM scratch
COPY --from=final /x /x
`
	f := parse(t, src)
	noErrors(t, f)
	if f.Stages[0].Base != "alpine:3.20" || f.Stages[0].BaseName != "${BASE}:${TAG}" {
		t.Errorf("meta ARG in FROM: base %q name %q", f.Stages[0].Base, f.Stages[0].BaseName)
	}
	build := f.Stages[0]
	run1 := build.ByKeyword("RUN")[0]
	if got := lookup(t, run1, "TAG"); got != "3.20" {
		t.Errorf("ARG TAG re-imported as %q", got)
	}
	if got := lookup(t, run1, "CONFIG"); got != "/home/app/.config" {
		t.Errorf("ENV chaining: CONFIG = %q", got)
	}
	if _, ok := run1.Vars.Lookup("BASE"); ok {
		t.Error("meta ARG BASE visible in the stage without re-import")
	}
	// ENV is inherited by a stage built FROM another; ARG is not.
	final := f.Stages[1]
	if final.BaseStage != build {
		t.Fatal("FROM build does not link the stage")
	}
	run2 := final.ByKeyword("RUN")[0]
	if got := lookup(t, run2, "HOME"); got != "/home/app" {
		t.Errorf("inherited ENV HOME = %q", got)
	}
	if _, ok := run2.Vars.Lookup("TAG"); ok {
		t.Error("ARG TAG leaked into the next stage")
	}
	if final.Root() != build {
		t.Error("Root() does not follow FROM stage")
	}

	// --build-arg overrides defaults, in FROM and in stages.
	f = parse(t, src, dockerfile.Options{BuildArgs: map[string]string{"TAG": "3.19", "USERNAME": "svc"}})
	if f.Stages[0].Base != "alpine:3.19" {
		t.Errorf("--build-arg TAG: base %q", f.Stages[0].Base)
	}
	run1 = f.Stages[0].ByKeyword("RUN")[0]
	if got := lookup(t, run1, "CONFIG"); got != "/home/svc/.config" {
		t.Errorf("--build-arg USERNAME: CONFIG = %q", got)
	}
	if got, _ := run1.Expand("$HOME/bin"); got != "/home/svc/bin" {
		t.Errorf("Expand = %q", got)
	}
	if _, unmatched := run1.Expand("${NOPE}/x"); !slices.Equal(unmatched, []string{"NOPE"}) {
		t.Errorf("unmatched %v", unmatched)
	}
}

func TestArgWithoutValue(t *testing.T) {
	f := parse(t, "FROM alpine:3.20\nARG TOKEN\nRUN echo $TOKEN\n")
	v, ok := f.Stages[0].ByKeyword("RUN")[0].Vars.Lookup("TOKEN")
	if !ok || v.HasValue || v.Kind != dockerfile.KindArg || v.Line != 2 {
		t.Errorf("ARG TOKEN: %+v %v", v, ok)
	}
	f = parse(t, "FROM alpine:3.20\nARG TOKEN\nRUN echo $TOKEN\n", dockerfile.Options{BuildArgs: map[string]string{"TOKEN": "x"}})
	if v, _ := f.Stages[0].ByKeyword("RUN")[0].Vars.Lookup("TOKEN"); !v.HasValue || v.Value != "x" {
		t.Errorf("ARG TOKEN with --build-arg: %+v", v)
	}
}

func TestStageGraph(t *testing.T) {
	src := `FROM golang:1.23 AS deps
RUN go mod download
FROM deps AS build
RUN go build -o /app
FROM alpine:3.20 AS tools
RUN apk add curl
FROM alpine:3.20 AS unused
RUN echo never
FROM gcr.io/distroless/static AS runtime
COPY --from=build /app /app
RUN --mount=type=bind,from=tools,source=/usr/bin/curl,target=/curl /curl --version
COPY --from=0 /go/pkg /pkg
`
	f := parse(t, src)
	noErrors(t, f)
	if len(f.Stages) != 5 {
		t.Fatalf("%d stages", len(f.Stages))
	}
	byName := map[string]*dockerfile.Stage{}
	for _, s := range f.Stages {
		byName[s.Name] = s
	}
	rt := byName["runtime"]
	if f.Target != rt || !rt.IsTarget() {
		t.Error("the last stage is not the target")
	}
	var deps []string
	for _, d := range rt.DependsOn {
		deps = append(deps, d.Name)
	}
	if !slices.Equal(deps, []string{"build", "tools", "deps"}) {
		t.Errorf("runtime depends on %v", deps)
	}
	if !slices.Equal(stageNames(byName["build"].DependsOn), []string{"deps"}) {
		t.Errorf("build depends on %v", stageNames(byName["build"].DependsOn))
	}
	for name, want := range map[string]bool{"deps": true, "build": true, "tools": true, "unused": false, "runtime": true} {
		if byName[name].InTarget != want {
			t.Errorf("%s.InTarget = %v, want %v", name, byName[name].InTarget, want)
		}
	}
	// --target picks a stage and only what it needs.
	f = parse(t, src, dockerfile.Options{Target: "BUILD"})
	for _, s := range f.Stages {
		want := s.Name == "build" || s.Name == "deps"
		if s.InTarget != want {
			t.Errorf("--target build: %s.InTarget = %v", s.Name, s.InTarget)
		}
	}
	if f.Target == nil || f.Target.Name != "build" {
		t.Errorf("--target build: target %v", f.Target)
	}
	_, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{Target: "nope"})
	if !errors.Is(err, dockerfile.ErrTargetNotFound) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown target: %v", err)
	}
	if f.Stages[0].Label() != "deps" {
		t.Error("Label of a named stage")
	}
	if g := parse(t, "FROM a\nFROM b\n"); g.Stages[1].Label() != "#1" {
		t.Errorf("Label of an unnamed stage: %q", g.Stages[1].Label())
	}
}

func stageNames(ss []*dockerfile.Stage) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func TestShellPowershellIsWindows(t *testing.T) {
	f := parse(t, `FROM example.com/base:1
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Invoke-WebRequest https://x -OutFile y; if ($x) { rm y }
`)
	noErrors(t, f)
	st := f.Stages[0]
	if !st.Windows {
		t.Error("SHELL powershell: stage not Windows")
	}
	r := runs(f)[0]
	if len(r.Shell) == 0 || r.Shell[0] != "powershell" || dockerfile.IsPOSIXShell(r.Shell) {
		t.Errorf("shell in force %v", r.Shell)
	}
	if r.Script.AST != nil || len(r.Script.Commands) != 0 {
		t.Error("PowerShell RUN parsed as POSIX shell")
	}
	// A POSIX SHELL keeps shell parsing.
	f = parse(t, "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | sh\n")
	if f.Stages[0].Windows || len(runs(f)[0].Script.Commands) != 2 {
		t.Error("bash SHELL: not parsed as shell")
	}
}

func TestCRLF(t *testing.T) {
	src := "FROM alpine:3.20\r\nRUN apk add \\\r\n    curl \\\r\n    git\r\n# shipshape ignore=DF1000 -- test\r\nUSER app\r\n"
	f := parse(t, src)
	noErrors(t, f)
	for i, l := range f.Lines {
		if strings.Contains(l, "\r") {
			t.Errorf("line %d keeps a CR: %q", i+1, l)
		}
	}
	r := runs(f)[0]
	if r.Range.Line != 2 || r.Range.EndLine != 4 {
		t.Errorf("RUN spans %d-%d", r.Range.Line, r.Range.EndLine)
	}
	if c := r.Script.Commands; len(c) != 1 || !slices.Equal(c[0].Args, []string{"add", "curl", "git"}) {
		t.Errorf("CRLF command %+v", c)
	}
	if len(f.Comments) != 1 || f.Comments[0].Text != "shipshape ignore=DF1000 -- test" || f.Comments[0].Line != 5 {
		t.Errorf("comments %+v", f.Comments)
	}
	if f.Instructions[len(f.Instructions)-1].Range.Line != 6 {
		t.Error("USER not at line 6")
	}
}

func TestParseErrorRecovery(t *testing.T) {
	src := `FROM alpine:3.20 AS build
RUN echo one
RUNN echo typo
COPY --chown=1000 --frobnicate a b
RUN echo after
FROM scratch
COPY --from=build /x /x
USER 1000
`
	f := parse(t, src)
	if len(f.Errors) < 2 {
		t.Fatalf("want errors for lines 3 and 4, got %+v", f.Errors)
	}
	var lines []int
	for _, e := range f.Errors {
		lines = append(lines, e.Range.Line)
		if e.Message == "" || strings.HasPrefix(e.Message, "dockerfile parse error") {
			t.Errorf("error message %q", e.Message)
		}
	}
	if !slices.Contains(lines, 3) || !slices.Contains(lines, 4) {
		t.Errorf("error lines %v, want 3 and 4", lines)
	}
	if len(f.Stages) != 2 || len(f.Stages[0].ByKeyword("RUN")) < 2 {
		t.Fatalf("instructions after the error not modelled: %d stages", len(f.Stages))
	}
	if got := f.Stages[0].ByKeyword("RUN"); got[len(got)-1].Range.Line != 5 {
		t.Error("RUN after the errors has the wrong line")
	}
	if f.Stages[1].ByKeyword("USER")[0].Range.Line != 8 {
		t.Error("USER in the second stage not modelled")
	}
	if len(f.Stages[1].DependsOn) != 1 {
		t.Error("stage graph lost after a parse error")
	}
}

func TestUnterminatedHeredocRecovery(t *testing.T) {
	f := parse(t, "FROM alpine:3.20\nRUN <<EOF\necho hi\n")
	if len(f.Stages) != 1 {
		t.Fatalf("stages %d", len(f.Stages))
	}
	for _, e := range f.Errors {
		if e.Range.Line < 1 || e.Range.Line > len(f.Lines) {
			t.Errorf("error outside the file: %+v", e)
		}
	}
}

func TestEmptyAndCommentOnly(t *testing.T) {
	for _, src := range []string{"", "\n\n", "# just a comment\n", "   \n\t\n"} {
		f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if len(f.Stages) != 0 || f.Target != nil {
			t.Errorf("%q: stages %d", src, len(f.Stages))
		}
		if len(f.Errors) != 1 || f.Errors[0].Range.Line < 1 {
			t.Errorf("%q: want one located error, got %+v", src, f.Errors)
		}
	}
	// A target on an empty file is still an unknown target.
	if _, err := dockerfile.Parse("Dockerfile", nil, dockerfile.Options{Target: "x"}); err != nil && !errors.Is(err, dockerfile.ErrTargetNotFound) {
		t.Errorf("empty file with a target: %v", err)
	}
}

func TestInstructionBeforeFrom(t *testing.T) {
	f := parse(t, "ARG A=1\nRUN echo hi\nFROM alpine:3.20\n")
	if len(f.MetaArgs) != 1 || len(f.Errors) != 1 || f.Errors[0].Range.Line != 2 {
		t.Errorf("meta args %d, errors %+v", len(f.MetaArgs), f.Errors)
	}
}

func TestLocateAndStart(t *testing.T) {
	f := parse(t, "FROM alpine:3.20\n  run apt-get install \\\n      sudo\n")
	in := runs(f)[0]
	if in.KeywordAsWritten != "run" || in.Range.Col != 3 {
		t.Errorf("keyword %q col %d", in.KeywordAsWritten, in.Range.Col)
	}
	if s := in.Start(); s.Line != 2 || s.Col != 3 || s.EndCol != 6 {
		t.Errorf("Start %+v", s)
	}
	if l := in.Locate("sudo"); l.Line != 3 || l.Col != 7 || l.EndCol != 11 {
		t.Errorf("Locate(sudo) %+v", l)
	}
	if l := in.Locate("absent"); l.Line != 2 {
		t.Errorf("Locate(absent) %+v", l)
	}
}

func TestNestedShellAndWrappers(t *testing.T) {
	f := parse(t, "FROM debian:12\nRUN sudo -u root env DEBIAN_FRONTEND=noninteractive apt-get install -y x && bash -c 'pip install y; npm ci'\n")
	got := cmds(runs(f)[0].Script)
	want := []string{"apt-get@2", "bash@2", "pip@2", "npm@2"}
	if !slices.Equal(got, want) {
		t.Errorf("commands %v, want %v", got, want)
	}
	c := runs(f)[0].Script.Commands[0]
	if !slices.Equal(c.Wrappers, []string{"sudo", "env"}) || c.Assigns["DEBIAN_FRONTEND"] != "noninteractive" {
		t.Errorf("wrappers %v assigns %v", c.Wrappers, c.Assigns)
	}
	if !runs(f)[0].Script.Commands[2].Nested {
		t.Error("command inside bash -c not marked nested")
	}
}

// TestCheckCommentBeforeInstruction is a regression test: BuildKit's
// ParseInstruction panicked on a `# check=` comment directly above an
// instruction (nil linter), found by linting the real-world corpus.
func TestCheckCommentBeforeInstruction(t *testing.T) {
	f := parse(t, "FROM alpine:3.20\n# check=skip=all\nRUN echo hi\n# check=error=true\nFROM scratch AS x\n")
	noErrors(t, f)
	if len(f.Stages) != 2 || len(runs(f)) != 1 {
		t.Errorf("stages %d", len(f.Stages))
	}
}

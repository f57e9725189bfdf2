package dockerfile_test

import (
	"slices"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// byLabel returns the stage of f with the given Label.
func byLabel(t *testing.T, f *dockerfile.File, label string) *dockerfile.Stage {
	t.Helper()
	for _, s := range f.Stages {
		if s.Label() == label {
			return s
		}
	}
	t.Fatalf("no stage %s", label)
	return nil
}

const multiStage = `FROM golang:1.23 AS build
USER builder
HEALTHCHECK NONE
RUN go build -o /app .
FROM build AS test
RUN go test ./...
FROM scratch AS export
COPY --from=build /app /app
FROM debian:12-slim AS base
USER app
FROM base AS final
COPY --from=build /app /app
CMD ["/app"]
`

func TestStageChain(t *testing.T) {
	f := parse(t, multiStage)
	if got := stageNames(byLabel(t, f, "final").Chain()); !slices.Equal(got, []string{"final", "base"}) {
		t.Errorf("final.Chain() = %v", got)
	}
	if got := stageNames(byLabel(t, f, "build").Chain()); !slices.Equal(got, []string{"build"}) {
		t.Errorf("build.Chain() = %v", got)
	}
	var none *dockerfile.Stage
	if none.Chain() != nil || none.Last("USER") != nil {
		t.Error("a nil stage has a chain")
	}
}

func TestStageLast(t *testing.T) {
	f := parse(t, multiStage)
	final := byLabel(t, f, "final")
	if u := final.Last("USER"); u == nil || u.Stage.Label() != "base" {
		t.Errorf("final.Last(USER) = %v, want the USER of base", u)
	}
	if final.Last("HEALTHCHECK") != nil {
		t.Error("final inherits the HEALTHCHECK of a stage it only copies from")
	}
	if h := byLabel(t, f, "test").Last("HEALTHCHECK"); h == nil || h.Range.Line != 3 {
		t.Errorf("test.Last(HEALTHCHECK) = %v, want line 3", h)
	}
}

func TestStageScratchAndRunnable(t *testing.T) {
	f := parse(t, multiStage+"FROM export AS out\nFROM scratch AS svc\nENTRYPOINT [\"/svc\"]\n")
	for label, want := range map[string][2]bool{
		"final":  {false, true},
		"export": {true, false},
		"out":    {true, false},
		"svc":    {true, true},
	} {
		s := byLabel(t, f, label)
		if s.IsScratch() != want[0] || s.Runnable() != want[1] {
			t.Errorf("%s: IsScratch=%v Runnable=%v, want %v", label, s.IsScratch(), s.Runnable(), want)
		}
	}
}

func TestStageConfigReachesImage(t *testing.T) {
	f := parse(t, multiStage)
	for label, want := range map[string]bool{"build": true, "test": false, "export": false, "base": true, "final": true} {
		if got := byLabel(t, f, label).ConfigReachesImage(); got != want {
			t.Errorf("%s.ConfigReachesImage() = %v, want %v", label, got, want)
		}
	}
	f = parse(t, multiStage, dockerfile.Options{Target: "test"})
	if !byLabel(t, f, "test").ConfigReachesImage() {
		t.Error("the --target stage does not reach the image")
	}
}

func TestStageShips(t *testing.T) {
	// tools is read through COPY --from only; test is an alternative
	// target nothing reads from, so it and its base ship.
	src := `FROM alpine AS tools
RUN apk add gcc
FROM alpine AS base
RUN apk add curl
FROM base AS test
RUN make test
FROM base AS final
COPY --from=tools /usr/bin/x /x
`
	f := parse(t, src)
	for label, want := range map[string]bool{"tools": false, "base": true, "test": true, "final": true} {
		if got := byLabel(t, f, label).Ships; got != want {
			t.Errorf("%s.Ships = %v, want %v", label, got, want)
		}
	}
	f = parse(t, src, dockerfile.Options{Target: "test"})
	for label, want := range map[string]bool{"tools": false, "base": true, "test": true, "final": false} {
		if got := byLabel(t, f, label).Ships; got != want {
			t.Errorf("--target test: %s.Ships = %v, want %v", label, got, want)
		}
	}
}

func TestStageDescribe(t *testing.T) {
	f := parse(t, "ARG V=3.20\nFROM alpine:$V AS Build\nFROM scratch\n")
	if got := f.Stages[0].Describe(); got != `"Build" (FROM alpine:3.20)` {
		t.Errorf("Describe() = %s", got)
	}
	if got := f.Stages[1].Describe(); got != "#1 (FROM scratch)" {
		t.Errorf("Describe() = %s", got)
	}
}

func TestStageByRef(t *testing.T) {
	f := parse(t, multiStage)
	cases := []struct {
		ref     string
		label   string
		index   int
		numeric bool
	}{
		{"BUILD", "build", 0, false},
		{"2", "export", 2, true},
		{"9", "", 9, true},
		{"alpine", "", -1, false},
		{"-1", "", -1, false},
	}
	for _, c := range cases {
		st, i, num := f.StageByRef(c.ref)
		label := ""
		if st != nil {
			label = st.Label()
		}
		if label != c.label || i != c.index || num != c.numeric {
			t.Errorf("StageByRef(%q) = %s %d %v, want %s %d %v", c.ref, label, i, num, c.label, c.index, c.numeric)
		}
	}
}

func TestEarlierAndInForce(t *testing.T) {
	f := parse(t, `FROM alpine AS base
USER root
SHELL ["/bin/ash", "-c"]
FROM base AS app
RUN id
USER app
RUN id
`)
	runs := byLabel(t, f, "app").ByKeyword("RUN")
	if u := runs[0].InForce("USER"); u == nil || u.Range.Line != 2 {
		t.Errorf("first RUN runs as %v, want the USER of line 2", u)
	}
	if u := runs[1].InForce("USER"); u == nil || u.Range.Line != 6 {
		t.Errorf("second RUN runs as %v, want the USER of line 6", u)
	}
	if runs[0].InForce("SHELL") == nil || runs[0].InForce("WORKDIR") != nil {
		t.Error("InForce(SHELL) missing the base stage's SHELL, or found a WORKDIR")
	}
	var lines []int
	for x := range runs[1].Earlier() {
		lines = append(lines, x.Range.Line)
	}
	if !slices.Equal(lines, []int{6, 5, 3, 2}) {
		t.Errorf("Earlier() lines = %v, want [6 5 3 2]", lines)
	}
	if f.Stages[0].From.InForce("USER") != nil {
		t.Error("the first FROM has a USER in force")
	}
	if u := f.Stages[1].From.InForce("USER"); u == nil || u.Range.Line != 2 {
		t.Errorf("FROM base starts with USER %v, want line 2", u)
	}
}

func TestRunsAndCommands(t *testing.T) {
	f := parse(t, "FROM alpine\nRUN a && b\nCOPY x y\nRUN [\"c\"]\n"+
		"FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n")
	var got []string
	for in, c := range f.Commands() {
		got = append(got, c.Name+"@"+itoa(in.Range.Line))
	}
	if !slices.Equal(got, []string{"a@2", "b@2", "c@4"}) {
		t.Errorf("Commands() = %v", got)
	}
	n := 0
	for range f.Stages[1].Runs() {
		n++
	}
	if n != 0 {
		t.Errorf("a Windows stage yields %d RUNs", n)
	}
	for in := range f.Runs() {
		if in.Keyword != "RUN" {
			t.Errorf("Runs() yields %s", in.Keyword)
		}
		break
	}
}

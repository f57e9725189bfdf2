package dockerfile_test

import (
	"testing"
)

const onbuildFile = `FROM debian:12 AS tools
ONBUILD RUN echo never runs
FROM python:3.12-slim AS base
ENV APP=/srv/app
USER app
ONBUILD COPY . $APP
ONBUILD  run  --mount=type=cache,target=/root/.cache/pip \
    pip install -r requirements.txt && cd $APP
ONBUILD RUN ["sh", "-c", "make install"]
RUN echo own
FROM base
COPY --from=tools /etc/hostname /tmp/
`

func TestOnbuildTriggers(t *testing.T) {
	f := parse(t, onbuildFile)
	base := byLabel(t, f, "base")
	var got []int
	for in := range base.Runs() {
		got = append(got, in.Range.Line)
	}
	// The stage's own RUN first, then its triggers in source order.
	if len(got) != 3 || got[0] != 10 || got[1] != 7 || got[2] != 9 {
		t.Fatalf("base.Runs() lines = %v, want [10 7 9]", got)
	}
	var trig = base.Instructions[3].Trigger
	if trig == nil || !trig.IsTrigger() || trig.OnBuild != base.Instructions[3] || trig.Stage != base {
		t.Fatalf("ONBUILD RUN at line 7 has no trigger tied to it: %+v", trig)
	}
	if trig.Keyword != "RUN" || trig.Range.Line != 7 || trig.Range.EndLine != 8 || trig.Range.Col != 10 {
		t.Errorf("trigger range = %+v keyword %s, want line 7-8 col 10 RUN", trig.Range, trig.Keyword)
	}
	if s := trig.Start(); s.Col != 10 || s.EndCol != 13 {
		t.Errorf("trigger keyword range = %+v, want cols 10-13", s)
	}
	if len(trig.Script.Commands) != 2 || trig.Script.Commands[0].Name != "pip" || trig.Script.Commands[1].Name != "cd" {
		t.Fatalf("trigger commands = %v", trig.Script.Commands)
	}
	if r := trig.CmdRange(trig.Script.Commands[0]); r.Line != 8 || r.Col != 5 {
		t.Errorf("pip located at %+v, want line 8 col 5", r)
	}
	if !trig.Script.Mounted("/root/.cache/pip") {
		t.Error("the trigger's cache mount is not modelled")
	}
	if v, _ := trig.Vars.Value("APP"); v != "/srv/app" {
		t.Errorf("trigger sees APP=%q", v)
	}
	if u := trig.InForce("USER"); u == nil || u.Range.Line != 5 {
		t.Errorf("trigger runs as %v, want the USER at line 5", u)
	}
	// Everything of its stage ran before the trigger, its own RUN included.
	if r := trig.InForce("RUN"); r == nil || r.Range.Line != 10 {
		t.Errorf("last RUN before the trigger = %v, want line 10", r)
	}
	exec := base.Instructions[4].Trigger
	if exec == nil || !exec.Script.Exec || len(exec.Script.Commands) != 1 || exec.Script.Commands[0].Name != "make" {
		t.Errorf("exec-form trigger = %+v", exec)
	}
	// Triggers declared before it ran before it, nearest first.
	for x := range exec.Earlier() {
		if x != trig {
			t.Errorf("first instruction before the trigger at line 9 is %s at line %d, want the trigger at line 7", x.Keyword, x.Range.Line)
		}
		break
	}
	// A trigger is not an instruction this build executes.
	for _, in := range f.Instructions {
		if in.IsTrigger() {
			t.Errorf("trigger at line %d listed among the file's instructions", in.Range.Line)
		}
	}
	// tools is only copied from: its trigger never runs.
	for in := range byLabel(t, f, "tools").Runs() {
		t.Errorf("stage tools yields a run at line %d", in.Range.Line)
	}
	if n := len(byLabel(t, f, "tools").Instructions[0].Trigger.Script.Commands); n != 1 {
		t.Errorf("the trigger of tools is not modelled (%d commands)", n)
	}
	// ONBUILD of anything else has no trigger model.
	if base.Instructions[2].Trigger != nil {
		t.Error("ONBUILD COPY has a RUN trigger")
	}
}

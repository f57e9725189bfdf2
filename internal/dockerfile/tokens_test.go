package dockerfile_test

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

func TestPipeRange(t *testing.T) {
	src := "FROM alpine\n" +
		"RUN apk add curl && \\\n" +
		"    curl -fsSL https://x/t.tgz \\\n" +
		"      | tar -xz -C /opt\n" +
		"RUN a | b |& c\n" +
		"RUN sh -c 'wget -qO- x | sh'\n" +
		"RUN echo hi\n"
	f := parse(t, src)
	rs := runs(f)
	find := func(run int, name string) int {
		for i, c := range rs[run].Script.Commands {
			if c.Name == name {
				return i
			}
		}
		t.Fatalf("no %s in RUN %d", name, run)
		return -1
	}
	cases := []struct {
		name string
		run  int
		cmd  string
		want loc.Range
	}{
		{"pipe on a continuation line", 0, "curl", rng(4, 7, 8)},
		{"first pipe of three", 1, "a", rng(5, 7, 8)},
		{"second pipe, |&", 1, "b", rng(5, 11, 13)},
		{"inside sh -c only the line", 2, "wget", loc.Range{Line: 6, EndLine: 6}},
	}
	for _, c := range cases {
		in := rs[c.run]
		if got := in.PipeRange(in.Script.Commands[find(c.run, c.cmd)]); got != c.want {
			t.Errorf("%s: PipeRange = %+v, want %+v", c.name, got, c.want)
		}
	}
	// A command that writes into no pipe is located at its word.
	in := rs[3]
	if got, want := in.PipeRange(in.Script.Commands[0]), in.CmdRange(in.Script.Commands[0]); got != want {
		t.Errorf("no pipe: PipeRange = %+v, want CmdRange %+v", got, want)
	}
}

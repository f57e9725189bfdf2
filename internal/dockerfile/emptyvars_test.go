package dockerfile_test

import (
	"testing"
)

func TestEmptyVars(t *testing.T) {
	f := parse(t, `ARG META=1.0
ARG BASE_TAG=12
FROM debian:${BASE_TAG}
ARG NODEFAULT
ARG SET=2.0
ENV BLANK=""
RUN apt-get install a=${NODEFAULT} b=$SET c=$BLANK d=${META} e=${NODEFAULT:-1} f=${BASE_TAG} g=$UNDECLARED
RUN LOCAL=3 && apt-get install h=$LOCAL i=${NODEFAULT}
`)
	runs := f.Stages[0].ByKeyword("RUN")
	got := map[string]string{}
	for _, w := range []string{"a=${NODEFAULT}", "b=$SET", "c=$BLANK", "d=${META}", "e=${NODEFAULT:-1}", "f=${BASE_TAG}", "g=$UNDECLARED"} {
		for _, e := range runs[0].EmptyVars(w) {
			got[w] = e.Name + " " + e.Why
		}
	}
	want := map[string]string{
		"a=${NODEFAULT}": "NODEFAULT has no default",
		"c=$BLANK":       "BLANK is empty",
		"d=${META}":      "META is declared before FROM only",
	}
	if len(got) != len(want) {
		t.Errorf("EmptyVars found %v, want %v", got, want)
	}
	for w, v := range want {
		if got[w] != v {
			t.Errorf("EmptyVars(%q) = %q, want %q", w, got[w], v)
		}
	}
	// A variable the script assigns itself is the script's business.
	if e := runs[1].EmptyVars("h=$LOCAL"); len(e) != 0 {
		t.Errorf("script-assigned variable reported: %v", e)
	}
	if e := runs[1].EmptyVars("i=${NODEFAULT}"); len(e) != 1 {
		t.Errorf("ARG without default not reported in the second RUN: %v", e)
	}
}

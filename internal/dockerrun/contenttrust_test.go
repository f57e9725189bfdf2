package dockerrun_test

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerrun"
)

// TestContentTrustOff: the shell forms that turn content trust off are
// found at their line, and the forms that keep it on are not.
func TestContentTrustOff(t *testing.T) {
	cases := []struct {
		src  string
		want []string // What, in order
		line []int
	}{
		{"#!/bin/sh\nexport DOCKER_CONTENT_TRUST=0\ndocker pull app:1\n", []string{"DOCKER_CONTENT_TRUST=0"}, []int{2}},
		{"DOCKER_CONTENT_TRUST=0\n", []string{"DOCKER_CONTENT_TRUST=0"}, []int{1}},
		{"DOCKER_CONTENT_TRUST=false docker build -t x .\n", []string{"DOCKER_CONTENT_TRUST=false"}, []int{1}},
		{"env DOCKER_CONTENT_TRUST=0 docker run --rm app:1\n", []string{"DOCKER_CONTENT_TRUST=0"}, []int{1}},
		{"echo hi\nsudo docker pull --disable-content-trust app:1\n", []string{"--disable-content-trust"}, []int{2}},
		{"docker image pull --disable-content-trust=true app:1\n", []string{"--disable-content-trust=true"}, []int{1}},
		{"declare -x DOCKER_CONTENT_TRUST=''\n", []string{"DOCKER_CONTENT_TRUST="}, []int{1}},
		{"export DOCKER_CONTENT_TRUST=1\ndocker pull app:1\n", nil, nil},
		{"docker pull --disable-content-trust=false app:1\n", nil, nil},
		{"export DOCKER_CONTENT_TRUST\n", nil, nil},
		{"DOCKER_CONTENT_TRUST=$DCT docker pull app:1\n", nil, nil},
		{"echo --disable-content-trust\ngrep DOCKER_CONTENT_TRUST=0 notes.txt\n", nil, nil},
	}
	for _, c := range cases {
		p := dockerrun.Find("ci.sh", []byte(c.src), dockerrun.Script, dockerrun.Options{})
		if len(p.TrustOff) != len(c.want) {
			t.Errorf("%q: found %+v, want %v", c.src, p.TrustOff, c.want)
			continue
		}
		for i, w := range c.want {
			if got := p.TrustOff[i]; got.What != w || got.Where.Range.Line != c.line[i] {
				t.Errorf("%q: #%d = %q at line %d, want %q at line %d", c.src, i, got.What, got.Where.Range.Line, w, c.line[i])
			}
		}
	}
}

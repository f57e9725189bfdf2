package imageref_test

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/imageref"
)

func TestTrusted(t *testing.T) {
	cases := []struct {
		ref        string
		registries []string
		want       bool
	}{
		{"node:20", []string{"docker.io"}, true},
		{"node:20", []string{"index.docker.io"}, true},
		{"ghcr.io/acme/app:1", []string{"docker.io"}, false},
		{"registry.example.com/base/node:22", []string{"*.example.com"}, true},
		{"evil.com/x.example.com/app", []string{"*.example.com"}, false},
		{"gcr.io/distroless/static", []string{"gcr.io/distroless"}, true},
		{"gcr.io/distrolessx/static", []string{"gcr.io/distroless"}, false},
		{"node", nil, false},
	}
	for _, c := range cases {
		name, _, ok := imageref.Normalize(c.ref)
		if !ok {
			t.Fatalf("%s: not a reference", c.ref)
		}
		if got := imageref.Trusted(c.registries, name); got != c.want {
			t.Errorf("Trusted(%v, %s) = %v, want %v", c.registries, name, got, c.want)
		}
	}
	if _, _, ok := imageref.Normalize("${IMAGE}"); ok {
		t.Error("a variable is not a reference")
	}
}

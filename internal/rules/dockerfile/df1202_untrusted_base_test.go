package dockerfile

import (
	"testing"

	"github.com/shipshape-sec/shipshape/internal/dockerfile"
)

// parseBase parses src and returns the external image of its last stage.
func parseBase(t *testing.T, src string) (dockerfile.BaseImage, bool) {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f.Stages[len(f.Stages)-1].Image()
}

func TestTrustedRegistry(t *testing.T) {
	cases := []struct {
		ref  string
		regs []string
		want bool
	}{
		{"node:22", []string{"docker.io"}, true},
		{"node:22", []string{"index.docker.io"}, true},
		{"gcr.io/distroless/static", []string{"gcr.io/distroless"}, true},
		{"gcr.io/distroless-x/static", []string{"gcr.io/distroless"}, false},
		{"a.example.com/x:1", []string{"*.example.com"}, true},
		{"evil.com/a.example.com/x:1", []string{"*.example.com"}, false},
		{"quay.io/x/y", []string{"docker.io", "gcr.io"}, false},
	}
	for _, c := range cases {
		b, ok := parseBase(t, "FROM "+c.ref)
		if !ok {
			t.Fatalf("%s did not parse", c.ref)
		}
		if got := trustedRegistry(c.regs, b); got != c.want {
			t.Errorf("trustedRegistry(%v, %s) = %v", c.regs, c.ref, got)
		}
	}
}

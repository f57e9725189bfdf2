package compose

import (
	"path/filepath"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/container"
)

func TestBuildPaths(t *testing.T) {
	dir := filepath.Join("testdata", "build")
	p, err := Load([]string{filepath.Join(dir, "compose.yaml")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Errors) != 0 {
		t.Fatalf("errors: %v", p.Errors)
	}
	j := func(elem ...string) string {
		if len(elem) == 0 {
			return ""
		}
		return filepath.Join(append([]string{dir}, elem...)...)
	}
	for _, c := range []struct {
		svc, ctx, df string
	}{
		// The override file replaces the short form; it resolves against
		// the project directory (the first file's), not its own.
		{"short", j("sub"), j("sub", "Dockerfile")},
		{"long", j("app"), j("app", "Dockerfile.prod")},
		{"absdf", dir, "/srv/Dockerfile"},
		{"remote", "", ""},
		{"inline", j("app"), ""},
		{"defaulted", dir, j("docker", "Dockerfile")},
		{"var", j("app"), j("app", "Dockerfile")},
		// An extends base from another file resolves against that file.
		{"inherited", j("base", "ctx"), j("base", "ctx", "Dockerfile")},
		{"image", "", ""},
	} {
		s := spec(t, p, c.svc)
		if s.BuildContext != c.ctx || s.BuildDockerfile != c.df {
			t.Errorf("%s: context %q dockerfile %q, want %q %q", c.svc, s.BuildContext, s.BuildDockerfile, c.ctx, c.df)
		}
		if s.Build != (c.svc != "image") {
			t.Errorf("%s: Build = %v", c.svc, s.Build)
		}
	}
	at(t, "build", spec(t, p, "long").Pos(container.KeyBuild), "compose.yaml", 5)
	at(t, "build", spec(t, p, "short").Pos(container.KeyBuild), "compose.override.yaml", 3)
}

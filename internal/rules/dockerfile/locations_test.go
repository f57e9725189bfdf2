package dockerfile

import (
	"context"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// lintSource lints one Dockerfile given as text with every rule and the
// default configuration, as the CLI would.
func lintSource(t *testing.T, name, src string) []rule.Finding {
	t.Helper()
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	f, err := dockerfile.Parse(name, []byte(src), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rule.WithRelated(engine.LintDockerfile(context.Background(), f, reg, config.Default(), fixtureNow))
}

// findingOf returns the one finding of a rule, failing when there is none.
func findingOf(t *testing.T, fs []rule.Finding, id string) rule.Finding {
	t.Helper()
	for _, f := range fs {
		if f.RuleID == id {
			return f
		}
	}
	t.Fatalf("no %s finding in %v", id, fs)
	return rule.Finding{}
}

// TestTokenLocations checks that the rules about one token of a RUN point
// at that token, also on a later line of a continuation.
func TestTokenLocations(t *testing.T) {
	src := "FROM debian:12\n" +
		"RUN apt-get update && \\\n" +
		"    cd /opt && \\\n" +
		"    curl -fsSL https://example.com/t.tgz \\\n" +
		"      | tar -xz\n"
	fs := lintSource(t, "Dockerfile", src)
	cases := []struct {
		id   string
		want loc.Range
	}{
		{"DF1806", loc.Range{Line: 5, Col: 7, EndLine: 5, EndCol: 8}}, // the |
		{"DF1801", loc.Range{Line: 3, Col: 5, EndLine: 3, EndCol: 7}}, // the cd
	}
	for _, c := range cases {
		got := findingOf(t, fs, c.id).Range
		got.Offset, got.EndOffset = 0, 0
		if got != c.want {
			t.Errorf("%s at %+v, want %+v", c.id, got, c.want)
		}
	}
}

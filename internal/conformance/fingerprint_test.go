package conformance

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engine"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

// TestFingerprintsUniqueOverRealWorldCorpus lints every real-world
// Dockerfile and compose file in one run, as `shipshape lint` does, and
// requires one fingerprint per finding: a collision would merge two
// code-scanning alerts, and a baseline entry would silence both.
func TestFingerprintsUniqueOverRealWorldCorpus(t *testing.T) {
	dir := corpus.Corpus(t)
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"dockerfiles", "compose"} {
		res := engine.Lint(context.Background(), engine.LintOptions{
			Paths: []string{filepath.Join(dir, "realworld", sub)}, Rules: reg, Configs: config.NewFinder(reg),
		})
		if len(res.Findings) < 1000 {
			t.Fatalf("%s: only %d findings; the corpus was not linted", sub, len(res.Findings))
		}
		seen := map[string]int{}
		for i, f := range res.Findings {
			if f.Fingerprint == "" {
				t.Fatalf("%s: finding without a fingerprint: %+v", sub, f)
			}
			if j, dup := seen[f.Fingerprint]; dup {
				g := res.Findings[j]
				t.Errorf("%s: fingerprint %s shared by %s %s:%d and %s %s:%d", sub, f.Fingerprint, g.RuleID, g.File, g.Range.Line, f.RuleID, f.File, f.Range.Line)
			}
			seen[f.Fingerprint] = i
		}
		t.Logf("%s: %d findings, %d distinct fingerprints", sub, len(res.Findings), len(seen))
	}
}

// TestFingerprintsStayPutWhenLinesMoveAbove takes real-world files, adds
// unrelated lines above every finding (comments and a LABEL at the top of
// a Dockerfile, a comment at the top of a compose file) and requires every
// finding that is still reported to keep its fingerprint.
func TestFingerprintsStayPutWhenLinesMoveAbove(t *testing.T) {
	dir := corpus.Corpus(t)
	reg, err := allrules.Registry()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ src, prefix string }{
		{"realworld/dockerfiles/docker-library__python/3.12/slim-bookworm/Dockerfile", "# a comment added above\n\n# and another\n"},
		{"realworld/dockerfiles/jessfraz__dockerfiles/mutt/Dockerfile", "# moved down by this comment\n"},
		{"realworld/compose/docker__awesome-compose/wordpress-mysql/compose.yaml", "# moved down by this comment\n\n"},
	}
	for _, c := range cases {
		src, err := os.ReadFile(filepath.Join(dir, c.src))
		if err != nil {
			t.Skipf("corpus file missing: %v", err)
		}
		// The same path both times: the path is part of the identity.
		p := filepath.Join(t.TempDir(), filepath.Base(c.src))
		fps := func(data []byte) map[string]string {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			res := engine.Lint(context.Background(), engine.LintOptions{Paths: []string{p}, Rules: reg, Configs: config.NewFinder(reg)})
			out := map[string]string{}
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Message, "suppression") {
					continue
				}
				out[f.RuleID+" "+f.Message] = f.Fingerprint
			}
			return out
		}
		before := fps(src)
		after := fps(append([]byte(c.prefix), src...))
		if len(before) == 0 {
			t.Fatalf("%s: no findings to compare", c.src)
		}
		matched := 0
		for k, fp := range before {
			got, ok := after[k]
			if !ok {
				continue
			}
			matched++
			if got != fp {
				t.Errorf("%s: %s: fingerprint %s became %s after lines were added above", c.src, k, fp, got)
			}
		}
		if matched*2 < len(before) {
			t.Errorf("%s: only %d of %d findings still reported after adding lines above", c.src, matched, len(before))
		}
	}
}

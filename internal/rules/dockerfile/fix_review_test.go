package dockerfile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
)

// reviewCase is one review-level fix case: a Dockerfile, the rule whose
// fix is applied, and the exact text after `fix --level review --rule ID`
// (the input itself when the fix must not apply). Skip, when not empty,
// is a part of the reason the fix gives for refusing.
type reviewCase struct {
	name, rule, src, want string
}

// runReviewFix applies the review fixes of one rule to src, written as a
// Dockerfile in a temporary directory, through the engine's fix run (the
// one `shipshape fix` makes), and returns the fixed text and the titles
// of the fixes applied. It checks that a second run changes nothing.
func runReviewFix(t *testing.T, id, src string) (string, []string) {
	t.Helper()
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	fix := func(data string) *engine.FixResult {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := engine.Fix(context.Background(), engine.FixOptions{
			Lint:  engine.LintOptions{Paths: []string{path}, Rules: reg, Configs: config.NewFinder(reg), Now: fixtureNow},
			Level: "review", Only: map[string]bool{id: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := fix(src)
	out, titles := src, []string(nil)
	for _, ff := range res.Files {
		if ff.Path != path {
			t.Fatalf("a fix of %s edits %s", id, ff.Path)
		}
		out = string(ff.After)
		for _, n := range ff.Applied {
			titles = append(titles, n.Title)
		}
		for _, n := range ff.Skipped {
			t.Logf("skipped: %s %s", n.RuleID, n.Reason)
		}
	}
	if out != src {
		for _, ff := range fix(out).Files {
			if ff.Changed() {
				t.Errorf("a second run changes the fixed file again:\n%s", ff.After)
			}
		}
	}
	return out, titles
}

func runReviewCases(t *testing.T, cases []reviewCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, titles := runReviewFix(t, c.rule, c.src)
			if got != c.want {
				t.Fatalf("fixed:\n%s\nwant:\n%s", got, c.want)
			}
			if got != c.src && len(titles) == 0 {
				t.Errorf("changed without an applied fix")
			}
			for _, ti := range titles {
				if !strings.Contains(ti, ":") {
					t.Errorf("fix title %q does not say how behaviour may change", ti)
				}
			}
		})
	}
}

func TestReviewFixAptRecommends(t *testing.T) {
	runReviewCases(t, []reviewCase{
		{name: "single install", rule: "DF1602",
			src:  "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
			want: "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n"},
		{name: "every install of the RUN, continuation lines kept", rule: "DF1602",
			src:  "FROM debian:12\nRUN apt-get update \\\n && apt-get -y install ca-certificates \\\n && sudo apt-get install -y git\n",
			want: "FROM debian:12\nRUN apt-get update \\\n && apt-get -y install --no-install-recommends ca-certificates \\\n && sudo apt-get install --no-install-recommends -y git\n"},
		{name: "flag already there", rule: "DF1602",
			src:  "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n",
			want: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n"},
		{name: "apt.conf turns recommends off", rule: "DF1602",
			src:  "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/no-rec\nRUN apt-get install -y curl\n",
			want: "FROM debian:12\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/no-rec\nRUN apt-get install -y curl\n"},
		{name: "inside sh -c, columns unknown: no fix", rule: "DF1602",
			src:  "FROM debian:12\nRUN sh -c 'apt-get install -y curl'\n",
			want: "FROM debian:12\nRUN sh -c 'apt-get install -y curl'\n"},
		{name: "exec form: no fix", rule: "DF1602",
			src:  "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n",
			want: "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"},
	})
}

package ruledoc

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

var update = flag.Bool("update", false, "rewrite docs/rules from the rule values")

// TestDocsUpToDate fails when docs/rules/ differs from what the rule values
// generate; run `go test ./internal/ruledoc -update` to refresh.
func TestDocsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "rules")
	rules := allrules.Rules()
	want := map[string]string{"README.md": Index(rules)}
	for _, r := range rules {
		want[r.ID+".md"] = Markdown(r)
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, p := range old {
			if _, keep := want[filepath.Base(p)]; !keep {
				os.Remove(p)
			}
		}
		for name, body := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for name, body := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != body {
			t.Errorf("docs/rules/%s is stale or missing; run `go test ./internal/ruledoc -update`", name)
		}
	}
	have, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, p := range have {
		if _, ok := want[filepath.Base(p)]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule; run `go test ./internal/ruledoc -update`", filepath.Base(p))
		}
	}
}

func TestExplainMentionsEverything(t *testing.T) {
	for _, r := range allrules.Rules() {
		txt := Text(r)
		for _, part := range []string{r.ID, r.Title, "Why:", "Bad:", "Good:", "Fix:", r.HelpURI()} {
			if !strings.Contains(txt, part) {
				t.Errorf("%s: explain text lacks %q", r.ID, part)
			}
		}
		// Every severity a finding of the rule may carry, and when.
		flat := strings.Join(strings.Fields(txt), " ")
		for _, l := range r.Levels {
			if want := l.Severity.String() + " " + l.When; !strings.Contains(flat, want) {
				t.Errorf("%s: explain text lacks the level %q", r.ID, want)
			}
		}
	}
}

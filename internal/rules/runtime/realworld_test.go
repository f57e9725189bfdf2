package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-sec/shipshape/internal/compose"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/corpus"
	"github.com/shipshape-sec/shipshape/internal/engine"
)

// TestRealWorldCompose runs every rule over the real-world compose files
// of the shared corpus: no rule may crash or fail to run, and every
// finding must have a file and a line.
func TestRealWorldCompose(t *testing.T) {
	dir := filepath.Join(corpus.Corpus(t), "realworld", "compose")
	reg, err := Registry()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext != ".yml" && ext != ".yaml" {
			return nil
		}
		n++
		proj, err := compose.Load([]string{p}, compose.Options{NoAutoOverride: true})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		got := engine.LintRuntime(context.Background(), proj, reg, config.Default(), fixtureNow)
		checkLevels(t, reg, got)
		for _, f := range got {
			if strings.Contains(f.Message, "crashed on this file") || strings.Contains(f.Message, "could not run") {
				t.Errorf("%s: %s", p, f.Message)
			}
			if f.File == "" || f.Range.Line < 1 {
				t.Errorf("%s: %s finding without a place: %s", p, f.RuleID, f.Message)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("only %d compose files under %s", n, dir)
	}
}

package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasExamples walks the command tree: every command a user
// can run ends its --help with examples, and `shipshape man` writes a page
// for it that carries them.
func TestEveryCommandHasExamples(t *testing.T) {
	reg, err := allRules()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, rules: reg}
	root := newRoot(e)
	root.InitDefaultCompletionCmd()
	dir := t.TempDir()
	root.SetArgs([]string{"man", dir})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Hidden || !c.Runnable() || c.Name() == "help" || c.Parent() != nil && c.Parent().Name() == "completion" {
			return
		}
		n++
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%q has no examples in --help", c.CommandPath())
			return
		}
		page := filepath.Join(dir, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1")
		b, err := os.ReadFile(page)
		if err != nil {
			t.Errorf("no man page for %q: %v", c.CommandPath(), err)
			return
		}
		if !strings.Contains(string(b), "EXAMPLE") {
			t.Errorf("%s has no EXAMPLE section", page)
		}
	}
	walk(root)
	if n < 10 {
		t.Fatalf("only %d commands walked", n)
	}
}

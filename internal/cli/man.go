package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd writes a man page for every command, generated from the same
// command tree as --help, so the two never disagree.
func newManCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write the man pages of every command (section 1) into DIR",
		Long: `Write one man page per command (shipshape.1, shipshape-lint.1, ...) into DIR,
generated from the command tree that --help shows: descriptions, flags and
examples. Install them with, for example, cp DIR/*.1 /usr/local/share/man/man1/.
Shell completions come from 'shipshape completion bash|zsh|fish|powershell'.`,
		Example: `  shipshape man ./man && man ./man/shipshape-lint.1
  shipshape completion bash > /etc/bash_completion.d/shipshape`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("man: %w", err)}
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			header := &doc.GenManHeader{Title: "SHIPSHAPE", Section: "1", Source: "shipshape " + e.build.Version, Manual: "shipshape manual"}
			if err := doc.GenManTree(root, header, dir); err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("man: %w", err)}
			}
			fmt.Fprintf(e.stderr, "shipshape: man pages written to %s\n", dir)
			return nil
		},
	}
}

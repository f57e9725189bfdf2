package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/lsp"
)

func newLSPCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "lsp",
		Short: "Run as a language server on stdin/stdout: diagnostics and quick fixes in the editor",
		Long: `Run shipshape as a Language Server Protocol server over standard input and
output. The editor sends Dockerfiles and compose files as they are edited;
shipshape answers with their findings as diagnostics (severity, rule id, a
link to the rule's page) and offers each finding's fixes as quick fixes.
The nearest .shipshape.yaml of each file applies, as for lint.

It ends when the editor sends exit (exit 0), or on SIGINT/SIGTERM.`,
		Example: `  shipshape lsp
  # Neovim: vim.lsp.start({ name = "shipshape", cmd = { "shipshape", "lsp" } })
  # VS Code (any generic LSP client): command "shipshape", args ["lsp"], languages dockerfile, yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv := lsp.New(engine.LintOptions{Rules: e.rules, Configs: config.NewFinder(e.rules)}, e.build.Version)
			rwc := stdio{Reader: e.stdin, Writer: e.stdout}
			if err := srv.Serve(e.ctx, rwc); err != nil && e.ctx.Err() == nil {
				return &exitError{code: ExitError, err: err}
			}
			return nil
		},
	}
}

// stdio joins standard input and output into the stream a language server
// reads and writes.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }

package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/ruledoc"
)

func newRulesCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its id, severity and title",
		Long:  "List every rule. Use 'shipshape explain ID' for the rationale, examples, fix and the peer checks it maps to.",
		Example: `  shipshape rules
  shipshape rules --format json | jq '.[] | select(.severity == "critical") | .id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch strings.ToLower(format) {
			case "json":
				var out []ruledoc.Summary
				for _, r := range e.rules.All() {
					out = append(out, ruledoc.Summarize(r))
				}
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			case "text", "":
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tCATEGORY\tTITLE")
				for _, r := range e.rules.All() {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Category, r.Title)
				}
				return tw.Flush()
			}
			return usageErr("--format: want text or json")
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	return cmd
}

func newExplainCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "explain ID",
		Short: "Explain a rule: why it matters, a bad and a good example, the fix and references",
		Long:  "Explain a rule. ID is a shipshape rule id (DF1103) or a peer's id (DL3004, DS-0010, CKV_DOCKER_3) that maps to one.",
		Example: `  shipshape explain DF1100
  shipshape explain DL3008     # the hadolint check it maps to
  shipshape explain CKV_DOCKER_3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if r, ok := e.rules.Get(id); ok {
				_, err := fmt.Fprint(e.stdout, ruledoc.Text(r))
				return err
			}
			var matches []string
			for _, tool := range []string{"hadolint", "trivy", "checkov", "kics", "buildkit", "cis-docker-1.6.0"} {
				for _, r := range e.rules.ByPeer(tool, id) {
					matches = append(matches, r.ID)
					fmt.Fprintf(e.stdout, "%s %s is covered by %s.\n\n", tool, id, r.ID)
					fmt.Fprint(e.stdout, ruledoc.Text(r))
				}
			}
			if len(matches) == 0 {
				return usageErr("unknown rule %q; 'shipshape rules' lists them", id)
			}
			return nil
		},
	}
}

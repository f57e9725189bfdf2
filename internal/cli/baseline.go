package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/engine"
)

// defaultBaseline is where `shipshape baseline` writes, and where nothing
// reads it from unless --baseline names it.
const defaultBaseline = ".shipshape-baseline.json"

func newBaselineCmd(e *env) *cobra.Command {
	var sf scanFlags
	var lf lintInputFlags
	cmd := &cobra.Command{
		Use:   "baseline [PATH|-]...",
		Short: "Record today's findings so that later runs with --baseline report only new ones",
		Long: `Baseline lints the inputs as lint does and writes every finding to a JSON
report (default ` + defaultBaseline + `, or -o FILE). Give that file to
lint --baseline FILE (or image --baseline FILE): findings it holds are marked
suppressed (kind "baseline"), stay visible in JSON and SARIF, and do not
count toward the gate, so a team can adopt shipshape on a large repository
and fix the backlog over time while every new finding fails the build.

Findings are matched by fingerprint, which does not change when unrelated
lines move; a finding whose own text changes is new again.`,
		Example: `  shipshape baseline .                          # writes .shipshape-baseline.json
  shipshape lint --baseline .shipshape-baseline.json .
  shipshape baseline -o ci/baseline.json services/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			sf.format = "json"
			if sf.output == "" {
				sf.output = defaultBaseline
			}
			lo, gate, filter, err := lf.options(e, &sf, args)
			if err != nil {
				return err
			}
			lo.NoFixes = true // a baseline keeps fingerprints, not edits
			res := engine.Lint(e.ctx, lo)
			for _, n := range res.Notifications {
				fmt.Fprintf(e.stderr, "shipshape: %s: %s\n", n.File, n.Message)
			}
			if res.Incomplete() != "" {
				return &exitError{code: ExitError, err: fmt.Errorf("baseline: the run is incomplete (%s); %s not written", res.Incomplete(), sf.output)}
			}
			if err := sf.emit(e, newReport(e, &sf, res, filter, gate)); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "shipshape: baseline of %d finding(s) written to %s\n", len(res.Findings), sf.output)
			return nil
		},
	}
	sf.register(cmd)
	lf.register(cmd)
	return cmd
}

// readBaseline reads --baseline, or returns nil when it is not given.
func readBaseline(path string) (*engine.Baseline, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErr("--baseline: %v", err)
	}
	defer f.Close()
	b, err := engine.ReadBaseline(path, f)
	if err != nil {
		return nil, usageErr("--baseline: %v", err)
	}
	return b, nil
}

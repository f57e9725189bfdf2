package cli

import (
	"fmt"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/pin"
)

func newFixCmd(e *env) *cobra.Command {
	var sf scanFlags
	var lf lintInputFlags
	var level string
	var apply, check, pinRefs, insecure bool
	var only, skip []string
	cmd := &cobra.Command{
		Use:   "fix [PATH|-]...",
		Short: "Rewrite Dockerfiles and compose files into their hardened form (a diff, or --apply)",
		Long: `Fix lints the inputs as lint does and applies the fixes its findings carry,
as byte-range edits of the files (nothing else is touched: comments, layout,
quoting and key order stay). Without --apply it prints a unified diff and
writes nothing; --apply writes each file atomically (a temporary file renamed
over it, keeping its mode and line endings).

Every fix declares its level:
  safe     the image behaves the same (ADD of a local file to COPY,
           MAINTAINER to LABEL, apk --no-cache, ...); the default
  review   behaviour may change, and the fix says how (--level review)
  suggest  shown, never applied
--level all applies safe and review fixes. Fixes that overlap one already
applied are skipped; run fix again to apply them. A second run has nothing
left to do.

Compose files are edited as text, in the file's own indentation and block
or flow style. A fix that would be ambiguous (a service or key that comes
from an alias or a merge key, a service that extends another or is also
defined in an override) is refused and printed with its reason. Moving a
secret out of environment: creates secrets/NAME.txt beside the compose
file; it never overwrites one.

Exit codes: without --apply, 1 when something would change (the diff is on
stdout), 0 when nothing would, 2 on error; with --apply, what lint returns
on the fixed files under the same gate.

--pin resolves each FROM and compose image: tag through its registry and
writes it as tag@digest (node:22-alpine@sha256:...), the digest of the
multi-platform index where there is one, so every platform keeps working.
A FROM whose whole reference is one ARG has that ARG's default pinned; a
FROM mixing ARGs with text is refused with the reason. Stage references,
scratch, images compose builds and references pinned already are left
alone. Without --pin fix never touches the network; with it, a reference
that cannot be resolved is reported and the run exits 2 with nothing
written. Credentials come from docker login (~/.docker/config.json).`,
		Example: `  shipshape fix Dockerfile                 # show the diff of the safe fixes
  shipshape fix --apply .                  # apply them to every Dockerfile and compose file below .
  shipshape fix --level review --rule DF1100 Dockerfile
  shipshape fix --check services/          # exit 1 when a fix is pending (CI)
  shipshape fix --level review --apply docker-compose.yml   # harden a compose file
  shipshape fix --pin --rule DF1201,RT1030 --apply .   # only pin images to digests`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if apply && check {
				return usageErr("--check and --apply exclude each other")
			}
			lo, gate, filter, err := lf.options(e, &sf, args)
			if err != nil {
				return err
			}
			o := engine.FixOptions{Lint: lo, Level: level, Only: idSet(e, only), Skip: idSet(e, skip)}
			res, err := engine.Fix(e.ctx, o)
			if err != nil {
				return usageErr("%v", err)
			}
			for _, n := range res.Lint.Notifications {
				fmt.Fprintf(e.stderr, "shipshape: %s: %s\n", n.File, n.Message)
			}
			if res.Lint.Incomplete() != "" {
				return &exitError{code: ExitError, err: fmt.Errorf("fix: the run is incomplete (%s); nothing was changed", res.Lint.Incomplete())}
			}
			pinFailed := 0
			if pinRefs {
				r := &pin.Resolver{Insecure: insecure}
				if pinFailed, err = pinFixes(e, lo, res, r, o.Only, o.Skip); err != nil {
					return &exitError{code: ExitError, err: err}
				}
			}
			changed := reportFixes(e, res, apply)
			if pinFailed > 0 {
				// Fail closed: a reference that could not be resolved
				// leaves the run unfinished, and nothing is written.
				return &exitError{code: ExitError, err: fmt.Errorf("fix --pin: %d image reference(s) could not be resolved; nothing was changed", pinFailed)}
			}
			if !apply {
				if changed > 0 {
					return &exitError{code: ExitFindings}
				}
				return nil
			}
			var written []string
			for _, ff := range res.Files {
				if ff.Changed() {
					if err := engine.WriteFixed(ff); err != nil {
						return &exitError{code: ExitError, err: err}
					}
					written = append(written, ff.Path)
				}
			}
			// The exit is lint's on the fixed files; when nothing was
			// written, the lint the fixes came from is that lint.
			// Otherwise only the inputs the writes can change are linted
			// again (engine.Relint).
			after := res.Lint
			if len(written) > 0 {
				if after = engine.Relint(e.ctx, res.Lint, written); after == nil {
					lo.NoFixes = true // only the verdict and the report are read
					after = engine.Lint(e.ctx, lo)
				}
			}
			rep := newReport(e, &sf, after, filter, gate)
			if after.Incomplete() != "" {
				return &exitError{code: ExitError}
			}
			if rep.Failing() > 0 {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	sf.register(cmd)
	lf.register(cmd)
	fl := cmd.Flags()
	fl.BoolVar(&apply, "apply", false, "write the fixed files (atomically) instead of printing the diff")
	fl.BoolVar(&check, "check", false, "print the diff and exit 1 when a fix is pending (the default without --apply; for CI)")
	fl.StringVar(&level, "level", "safe", "which fixes apply: safe, review, all (suggestions are never applied)")
	fl.StringSliceVar(&only, "rule", nil, "apply only the fixes of these rules (IDs, comma list or repeated)")
	fl.StringSliceVar(&skip, "skip", nil, "do not apply the fixes of these rules")
	fl.BoolVar(&pinRefs, "pin", false, "also pin each FROM and compose image: tag to its digest, asking the registry (the only fix that uses the network)")
	fl.BoolVar(&insecure, "insecure", false, "with --pin: allow plain-HTTP and unverified-TLS registries")
	return cmd
}

// reportFixes prints the unified diff of every changed file on stdout, then
// on stderr what was applied and what was not, and returns how many files
// change.
func reportFixes(e *env, res *engine.FixResult, applied bool) int {
	changed, fixes, skipped := 0, 0, 0
	for _, ff := range res.Files {
		if ff.Changed() {
			changed++
			fixes += len(ff.Applied)
			old := "a/" + strings.TrimPrefix(ff.Path, "/")
			if ff.Create {
				old = "/dev/null"
			}
			fmt.Fprint(e.stdout, udiff.Unified(old, "b/"+strings.TrimPrefix(ff.Path, "/"), string(ff.Before), string(ff.After)))
		}
		for _, n := range ff.Skipped {
			skipped++
			fmt.Fprintf(e.stderr, "shipshape: %s:%d: %s not applied: %s (%s)\n", ff.Path, n.Line, n.RuleID, n.Reason, n.Title)
		}
	}
	verb := "would change"
	if applied {
		verb = "changed"
	}
	fmt.Fprintf(e.stderr, "shipshape: %d fix(es) %s %d file(s); %d not applied\n", fixes, verb, changed, skipped)
	return changed
}

// idSet resolves rule IDs (and aliases) given on the command line.
func idSet(e *env, ids []string) map[string]bool {
	out := map[string]bool{}
	for _, id := range ids {
		if r, ok := e.rules.Get(id); ok {
			out[r.ID] = true
		} else {
			out[strings.ToUpper(strings.TrimSpace(id))] = true
		}
	}
	return out
}

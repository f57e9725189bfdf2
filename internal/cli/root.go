package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/buildinfo"
	"github.com/shipshape-sec/shipshape/internal/rule"
	allrules "github.com/shipshape-sec/shipshape/internal/rules/all"
)

// Version, Commit and Date are set by release builds with -ldflags
// ("-X github.com/shipshape-sec/shipshape/internal/cli.Version=v1.2.3");
// left empty, the binary's own build information says (internal/buildinfo).
var Version, Commit, Date string

// Exit codes fixed by docs/contract.md.
const (
	ExitClean    = 0
	ExitFindings = 1
	ExitError    = 2
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageErr(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}

// env is what every command needs from the outside world.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	rules  *rule.Registry
	// build is which shipshape this is.
	build buildinfo.Info
}

// Execute runs the CLI and returns the process exit code.
func Execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	reg, err := allRules()
	if err != nil {
		fmt.Fprintln(stderr, "shipshape: internal error:", err)
		return ExitError
	}
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, rules: reg, build: buildinfo.Read(Version, Commit, Date)}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err = root.ExecuteContext(ctx)
	if err == nil {
		return ExitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "shipshape:", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors (unknown flag, bad arguments) are usage errors.
	fmt.Fprintln(stderr, "shipshape:", err)
	fmt.Fprintln(stderr, "Run 'shipshape --help' for usage.")
	return ExitError
}

func allRules() (*rule.Registry, error) { return allrules.Registry() }

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "shipshape",
		Short: "Make container images secure and lean, from the Dockerfile to the running container",
		Long: `shipshape makes container images secure and lean, offline and without a Docker
daemon:

  lint     Dockerfiles, their build context (.dockerignore), compose files,
           docker run lines in scripts and CI, docker inspect output
  image    a built image, layer by layer: user, secrets in any layer, setuid
           files, shells and package managers, wasted bytes
  sbom     the software bill of materials of an image or directory
  fix      rewrite Dockerfiles and compose files into their hardened form
  harden   rewrite an image into a hardened, verified copy
  db       the offline vulnerability database
  verify   cosign signatures of an image in its registry
  recommend  a leaner or supported base image (slim variants, newer
           releases), compared online by packages, vulnerabilities, size
  audit    running containers, their drift and the daemon, through the
           Docker or Podman Engine API
  server   the fleet server: every image's SBOM, where it runs, and which
           containers a vulnerability affects (push uploads to it)
  agent    reports which images run where on a Docker or Podman host to the
           fleet server, and uploads the SBOMs it lacks

Every rule explains itself (shipshape explain ID) and maps to the hadolint,
Trivy, KICS, Checkov, BuildKit, Dockle and CIS checks it replaces, so their
ignore comments keep working.

Exit codes: 0 nothing at or above the gate, 1 findings at or above the gate
(--fail-on, default high), 2 usage or input error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       e.build.Version,
	}
	root.SetVersionTemplate("shipshape {{.Version}}\n")
	root.AddCommand(newLintCmd(e), newRulesCmd(e), newExplainCmd(e), newVersionCmd(e), newImageCmd(e), newSBOMCmd(e))
	root.AddCommand(newDBCmd(e), newFixCmd(e), newManCmd(e), newBaselineCmd(e), newLSPCmd(e), newHardenCmd(e), newAuditCmd(e))
	root.AddCommand(newServerCmd(e), newWorkerCmd(e), newPushCmd(e), newVerifyCmd(e), newRecommendCmd(e))
	root.AddCommand(newAgentCmd(e))
	return root
}

func newVersionCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the shipshape version, commit and build date",
		Long: `Print the version, the commit it was built from and the build date, from
the build information Go embeds in the binary (or the values a release build
sets), and the Go version and platform. --format json prints them as an
object for scripts.`,
		Example: `  shipshape version
  shipshape version --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch format {
			case "text":
				fmt.Fprintln(e.stdout, e.build.String())
			case "json":
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(e.build)
			default:
				return usageErr("--format: want text or json, got %q", format)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// colorWanted decides on ANSI colour: only on a terminal, never with
// NO_COLOR set, forced by --color=always.
func colorWanted(mode string, w io.Writer) bool {
	switch strings.ToLower(mode) {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	if f, ok := w.(*os.File); ok {
		return isatty.IsTerminal(f.Fd())
	}
	return false
}

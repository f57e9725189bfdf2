package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/freshness"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/trust"
)

func newLintCmd(e *env) *cobra.Command {
	var sf scanFlags
	var lf lintInputFlags
	cmd := &cobra.Command{
		Use:     "lint [PATH|-]...",
		Short:   "Check Dockerfiles, compose files, docker run lines and docker inspect output",
		Long:    lintHelpLong,
		Example: lintHelpExample,
		RunE: func(cmd *cobra.Command, args []string) error {
			lo, gate, filter, err := lf.options(e, &sf, args)
			if err != nil {
				return err
			}
			lo.NoFixes = true // the report shows remedies, not edits
			res := engine.Lint(e.ctx, lo)
			rep := newReport(e, &sf, res, filter, gate)
			// Problems with the run always go to stderr (docs/contract.md), so
			// they are seen even when stdout is redirected. JSON and SARIF
			// also carry them as notifications; text on stdout does not
			// repeat them, text written with --output keeps them.
			for _, n := range res.Notifications {
				where := n.File
				if where != "" {
					where += ": "
				}
				fmt.Fprintf(e.stderr, "shipshape: %s%s\n", where, n.Message)
			}
			if err := sf.emit(e, rep); err != nil {
				return err
			}
			if res.Incomplete() != "" {
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
	return cmd
}

// lintHelpLong is the long help of the lint command.
const lintHelpLong = `Lint Dockerfiles, compose files, the docker/podman run commands of shell
scripts, Makefiles and CI workflows, and docker/podman inspect output.

A directory is walked (skipping .git, node_modules and vendor) for
Dockerfile, Containerfile, *.Dockerfile and Dockerfile.*; compose*.y*ml and
docker-compose*.y*ml; *.sh, *.bash and shebang scripts, Makefile, *.mk,
.github/workflows/*.y*ml and .gitlab-ci.yml. A file given by path is taken
by its name, then its content (a FROM line, a top-level services: key, a
shell shebang, JSON with HostConfig), or as --type says; - reads standard
input the same way. With no PATH, the current directory is linted.

compose.override.yaml beside compose.yaml is merged automatically, as
docker compose does; --compose a.yaml --compose b.yaml merges files in
order into one project instead. --docker-run 'docker run ...' lints a
command line directly.

Configuration comes from the nearest .shipshape.yaml above each file (see
docs/config.md) or from --config. Findings can be suppressed in place with
  # shipshape ignore=DF1103 -- reason          (the next instruction)
  # shipshape file-ignore=DF1201 -- reason     (the whole file)
and hadolint, Trivy, Checkov and BuildKit ignore comments are honoured.

Lint never touches the network unless --online is given: then each base
image pinned as name:tag@sha256:... is looked up in its registry, and DF1207
reports a tag that now names a newer digest (days newer, OS packages
upgraded). A registry that cannot be reached makes the run exit 2.`

// lintHelpExample are the examples of the lint command.
const lintHelpExample = `  shipshape lint .
  shipshape lint --format sarif -o shipshape.sarif services/
  shipshape lint --fail-on medium --severity critical,high,medium Dockerfile
  shipshape lint --online Dockerfile
  cat Dockerfile | shipshape lint -
  shipshape lint --target runtime --build-arg BASE=alpine:3.20 Dockerfile
  shipshape lint compose.yaml deploy/run.sh Makefile
  shipshape lint --compose compose.yaml --compose compose.prod.yaml
  shipshape lint --docker-run 'docker run --privileged -p 5432:5432 postgres:16'
  docker inspect web db | shipshape lint --type inspect -`

// lintInputFlags are the flags that say what lint (and fix) read: the
// paths, their type, merged compose files, docker run command lines, the
// build target and build arguments.
type lintInputFlags struct {
	target, typ                       string
	buildArgs, composeFiles, commands []string
	online                            bool
}

func (lf *lintInputFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&lf.target, "target", "", "lint as if building this stage (like docker build --target); default: the last stage")
	fl.StringArrayVar(&lf.buildArgs, "build-arg", nil, "set a build argument for ARG resolution, KEY=VALUE (repeatable)")
	fl.StringVar(&lf.typ, "type", "", "treat every file given as this type: "+strings.Join(engine.Kinds, ", "))
	fl.StringArrayVar(&lf.composeFiles, "compose", nil, "merge these compose files in order into one project, like docker compose -f (repeatable)")
	fl.StringArrayVar(&lf.commands, "docker-run", nil, "lint a docker/podman run command line given as one argument (repeatable)")
	fl.BoolVar(&lf.online, "online", false, "ask registries whether the tag of each base pinned as name:tag@sha256:... now names a newer digest (DF1207); without it nothing is fetched")
}

// options checks the flags and returns the lint options, the gate and the
// --severity filter. With no path and nothing else to read, the current
// directory is linted.
func (lf *lintInputFlags) options(e *env, sf *scanFlags, args []string) (engine.LintOptions, rule.Severity, map[rule.Severity]bool, error) {
	var lo engine.LintOptions
	if len(args) == 0 && len(lf.composeFiles) == 0 && len(lf.commands) == 0 {
		args = []string{"."}
	}
	if err := sf.checkFormat(); err != nil {
		return lo, 0, nil, err
	}
	if lf.typ != "" && !slices.Contains(engine.Kinds, lf.typ) {
		return lo, 0, nil, usageErr("--type: unknown type %q (want %s)", lf.typ, strings.Join(engine.Kinds, ", "))
	}
	filter, err := sf.severityFilter()
	if err != nil {
		return lo, 0, nil, err
	}
	ba := map[string]string{}
	for _, kv := range lf.buildArgs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return lo, 0, nil, usageErr("--build-arg %q: want KEY=VALUE", kv)
		}
		ba[k] = v
	}
	finder, err := sf.finder(e.rules)
	if err != nil {
		return lo, 0, nil, err
	}
	cfgFailOn := ""
	if c, err := finder.For("."); err == nil && c != nil {
		cfgFailOn = c.FailOn
	}
	gate, err := sf.gate(cfgFailOn)
	if err != nil {
		return lo, 0, nil, err
	}
	lo = engine.LintOptions{
		Paths: args, Type: lf.typ, Compose: lf.composeFiles, Commands: lf.commands, Target: lf.target, BuildArgs: ba,
		Stdin: e.stdin, Rules: e.rules, Configs: finder,
	}
	if lf.online {
		ro := trust.RegistryOptions(false)
		lo.Online = &freshness.Options{Remote: ro.Remote, Name: ro.Name}
	}
	return lo, gate, filter, nil
}

package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/engineapi"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/trust"
)

// auditFlags are audit's own flags.
type auditFlags struct {
	engine           engineFlags
	daemonConfig     string
	containers       []string
	all, watch       bool
	noDrift          bool
	requireSignature bool
	trust            trustFlags
}

func newAuditCmd(e *env) *cobra.Command {
	var sf scanFlags
	var af auditFlags
	cmd := &cobra.Command{
		Use:     "audit [--host unix:///...|tcp://...]",
		Short:   "Audit running containers, their drift and the container daemon through the Engine API",
		Long:    auditHelpLong,
		Example: auditHelpExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := sf.checkFormat(); err != nil {
				return err
			}
			filter, err := sf.severityFilter()
			if err != nil {
				return err
			}
			finder, err := sf.finder(e.rules)
			if err != nil {
				return err
			}
			cfg, err := finder.For(".")
			if err != nil {
				return usageErr("%v", err)
			}
			cfgFailOn := ""
			if cfg != nil {
				cfgFailOn = cfg.FailOn
			}
			gate, err := sf.gate(cfgFailOn)
			if err != nil {
				return err
			}
			o := engine.AuditOptions{Host: af.engine.host, All: af.all, Names: af.containers, NoDrift: af.noDrift,
				ContentTrust: os.Getenv("DOCKER_CONTENT_TRUST") == "1", DaemonConfig: af.daemonConfig, Rules: e.rules, Config: cfg}
			if o.TLS, err = af.engine.engineTLS(); err != nil {
				return err
			}
			if af.requireSignature {
				if cfg == nil {
					cfg = config.Default()
				}
				pol, err := af.trust.policy(cfg)
				if err != nil {
					return err
				}
				o.Signature = &engine.SignatureCheck{Policy: pol, Options: trust.RegistryOptions(false)}
			} else if af.trust.given() {
				return usageErr("--key is for --require-signature (as are --trusted-root and --certificate-*)")
			}
			if af.watch {
				if sf.output != "" {
					return usageErr("--watch writes one report per container to standard output; --output is not supported with it")
				}
				return watchAudit(e, &sf, o, filter, gate)
			}
			return auditOnce(e, &sf, o, filter, gate)
		},
	}
	sf.register(cmd)
	fl := cmd.Flags()
	fl.StringVarP(&af.engine.host, "host", "H", "", "engine address, unix:///path or tcp://host:port (default: $DOCKER_HOST, else unix:///var/run/docker.sock; a podman socket works the same)")
	fl.StringArrayVar(&af.containers, "container", nil, "audit only this container, by name or id (repeatable)")
	fl.BoolVarP(&af.all, "all", "a", false, "audit stopped and created containers too, from their configuration")
	fl.BoolVar(&af.watch, "watch", false, "follow the engine's events and audit each container as it starts, until interrupted")
	fl.BoolVar(&af.noDrift, "no-drift", false, "do not read the containers' filesystem changes")
	fl.StringVar(&af.daemonConfig, "daemon-config", "", "daemon.json to read on a local engine (default /etc/docker/daemon.json)")
	fl.BoolVar(&af.requireSignature, "require-signature", false, "verify the cosign signatures of each container's image by its registry digest; unsigned, wrongly signed or without a registry digest is a finding (RT1106)")
	af.trust.register(fl, "--require-signature: ")
	af.engine.registerTLS(fl)
	return cmd
}

// auditOnce audits once and exits as lint does; an interrupted audit is
// incomplete (exit 2), never a pass.
func auditOnce(e *env, sf *scanFlags, o engine.AuditOptions, filter map[rule.Severity]bool, gate rule.Severity) error {
	res, err := engine.Audit(e.ctx, o)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	printNotes(e, res)
	rep := newReport(e, sf, res, filter, gate)
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
}

func printNotes(e *env, res *engine.Result) {
	for _, n := range res.Notifications {
		where := n.File
		if where != "" {
			where += ": "
		}
		fmt.Fprintf(e.stderr, "shipshape: %s%s\n", where, n.Message)
	}
}

// watchAudit follows the engine's start events and writes one report per
// container started: a JSON line with --format json, a text report
// otherwise. The daemon's own findings belong to a one-shot audit and are
// left out. It returns nil when interrupted (a graceful stop) and an exit
// 2 when the engine cannot be reached or its event stream breaks.
func watchAudit(e *env, sf *scanFlags, o engine.AuditOptions, filter map[rule.Severity]bool, gate rule.Severity) error {
	host := o.Host
	if host == "" {
		host = engineapi.DefaultHost()
	}
	c, err := engineapi.New(host, o.TLS)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if _, err := c.Ping(e.ctx); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	fmt.Fprintf(e.stderr, "shipshape: watching %s for containers starting (Ctrl-C to stop)\n", host)
	var failed error
	err = c.Events(e.ctx, func(ev engineapi.Event) {
		if failed != nil {
			return
		}
		one := o
		one.Names, one.All = []string{ev.Actor.ID}, false
		res, err := engine.Audit(e.ctx, one)
		if err != nil {
			if e.ctx.Err() == nil && !errors.Is(err, engineapi.ErrNotFound) {
				fmt.Fprintf(e.stderr, "shipshape: container %s: %v\n", ev.Actor.Attributes["name"], err)
			}
			return
		}
		if res.Interrupted {
			return // stopping: an interrupted audit is not reported
		}
		kept := res.Findings[:0]
		for _, f := range res.Findings {
			if f.Container != nil {
				kept = append(kept, f)
			}
		}
		res.Findings = kept
		res.Files = res.Files[1:] // the daemon
		printNotes(e, res)
		if err := emitWatched(e, sf, newReport(e, sf, res, filter, gate)); err != nil {
			failed = err
		}
	})
	if failed != nil {
		return failed
	}
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	return nil
}

// emitWatched writes one watched container's report: JSON compacted onto
// one line (a JSON-lines stream for log pipelines), other formats as they
// are.
func emitWatched(e *env, sf *scanFlags, rep *report.Report) error {
	var buf bytes.Buffer
	if err := report.Write(&buf, sf.format, rep); err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if strings.EqualFold(sf.format, "json") {
		var line bytes.Buffer
		if err := json.Compact(&line, buf.Bytes()); err != nil {
			return &exitError{code: ExitError, err: err}
		}
		line.WriteByte('\n')
		buf = line
	}
	_, err := e.stdout.Write(buf.Bytes())
	return err
}

// auditHelpLong is the long help of the audit command.
const auditHelpLong = `Audit what is running: every running container of a Docker or Podman
engine (or those named with --container, or all with --all), checked with
the runtime rules against the configuration in force, plus what only a live
engine shows:

  - the effective user of PID 1, the seccomp filter and AppArmor profile in
    force on it (from the host's /proc when readable, else docker top)
  - devices, the real mounts and their propagation, health state and
    restart count
  - drift: files changed since the container started (docker diff, with
    modes from the upper layer or the engine): new or changed
    executables, new setuid files, changed /etc/passwd, package databases
    changed at run time
  - the daemon: user namespaces, icc on the default bridge, live-restore,
    userland proxy, default no-new-privileges and seccomp, log driver,
    insecure registries, an unauthenticated TCP socket, content trust,
    from /info and /etc/docker/daemon.json, each mapped to its CIS Docker
    Benchmark section

Findings are located at the container (name, id, image digest) and, for a
container made by docker compose whose files are readable, also at the
compose file line that set the value.

A created or stopped container (--all) is judged from its configuration.
--watch follows the engine's events and audits each container as it
starts, until interrupted (exit 0); with --format json it writes one JSON
document per line.

Exit codes: 0 nothing at or above the gate, 1 findings at or above the gate
(--fail-on, default high), 2 the engine cannot be reached, a named
container does not exist, or the audit was interrupted.

--require-signature verifies, for each container, the cosign signatures of
the image it runs, by the image's registry digest (RepoDigests), against
--key, a keyless identity (--trusted-root with --certificate-identity and
--certificate-oidc-issuer), or the trust section of .shipshape.yaml; each
distinct image is verified once. An unsigned or wrongly signed image, one
whose registry cannot be reached, and one with no registry digest (built or
imported locally) are RT1106 findings at the container.

` + engineTLSHelp

// auditHelpExample are the examples of the audit command.
const auditHelpExample = `  shipshape audit
  shipshape audit --all --format sarif -o audit.sarif
  shipshape audit --container web --container db --fail-on medium
  shipshape audit --host unix:///run/podman/podman.sock
  DOCKER_HOST=tcp://10.0.0.5:2375 shipshape audit
  shipshape audit --host tcp://10.0.0.5:2376 --tlsverify --tlscacert ca.pem --tlscert cert.pem --tlskey key.pem
  DOCKER_HOST=tcp://10.0.0.5:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=~/.docker/prod shipshape audit
  shipshape audit --watch --format json | tee -a audit.jsonl
  shipshape audit --all --require-signature --key cosign.pub`

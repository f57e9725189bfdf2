package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/freshness"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// progressAfter is how long a scan runs before a progress line appears on
// a terminal; short scans stay silent.
const progressAfter = 2 * time.Second

func newImageCmd(e *env) *cobra.Command {
	var sf scanFlags
	var platform, scanners, dockerfilePath string
	var insecure, noCache, ignoreUnfixed, failOnUnknown bool
	var vexFiles []string
	var tf trustFlags
	var requireSignature, checkUpdates bool
	cmd := &cobra.Command{
		Use:     "image REF",
		Short:   "Inspect a container image without a daemon: config, every layer, secrets, setuid, bloat",
		Long:    imageHelpLong,
		Example: imageHelpExample,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref := args[0]
			if err := sf.checkFormat(); err != nil {
				return err
			}
			filter, err := sf.severityFilter()
			if err != nil {
				return err
			}
			selected, err := parseScanners(scanners)
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
			if cfg == nil {
				cfg = config.Default()
			}
			gate, err := sf.gate(cfg.FailOn)
			if err != nil {
				return err
			}
			o := engine.ImageOptions{
				Ref: ref, Open: imageread.OpenOptions{Platform: platform, Insecure: insecure}, Scanners: selected,
				NoCache: noCache, Vuln: engine.VulnOptions{IgnoreUnfixed: ignoreUnfixed}, Dockerfile: dockerfilePath,
				Rules: e.rules, Config: cfg,
			}
			if requireSignature {
				pol, err := tf.policy(cfg)
				if err != nil {
					return err
				}
				o.Signature = &engine.SignatureCheck{Policy: pol, Options: trust.RegistryOptions(insecure)}
			} else if tf.given() {
				return usageErr("--key is for --require-signature (as are --trusted-root and --certificate-*)")
			}
			if checkUpdates {
				ro := trust.RegistryOptions(insecure)
				o.Updates = &freshness.Options{Open: o.Open, Remote: ro.Remote, Name: ro.Name}
			}
			if len(vexFiles) > 0 {
				if o.Vuln.VEX, err = vuln.LoadVEX(vexFiles...); err != nil {
					return usageErr("--vex: %v", err)
				}
			}
			if selected["vuln"] {
				if o.DB, err = openVulnDB(sf.db); err != nil {
					return err
				}
				defer o.DB.Close()
			}
			stop := startProgress(e, ref)
			res, err := engine.Image(e.ctx, o)
			stop()
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			for _, n := range res.Notifications {
				fmt.Fprintf(e.stderr, "shipshape: %s: %s\n", n.File, n.Message)
			}
			rep := newReport(e, &sf, res, filter, gate)
			rep.ImageSource, rep.UnknownAs, rep.NotAssessed = res.ImageSource, cfg.UnknownSeverity, res.NotAssessed
			if err := sf.emit(e, rep); err != nil {
				return err
			}
			if rep.Failing() > 0 {
				return &exitError{code: ExitFindings}
			}
			if res.NotAssessed != "" && failOnUnknown {
				fmt.Fprintf(e.stderr, "shipshape: %s: failing: vulnerabilities could not be assessed (--fail-on-unknown)\n", ref)
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	sf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: this machine's)")
	fl.BoolVar(&insecure, "insecure", false, "allow plain-HTTP and unverified-TLS registries")
	fl.StringVar(&scanners, "scanners", strings.Join(engine.ImageScanners, ","), "scanners to run: "+strings.Join(engine.ImageScanners, ", ")+" (vuln needs a vulnerability database)")
	fl.StringVar(&dockerfilePath, "dockerfile", "", "the Dockerfile the image was built from; SARIF and GitHub output point findings at its lines")
	fl.BoolVar(&noCache, "no-cache", false, "do not read or write the per-layer result cache")
	fl.BoolVar(&ignoreUnfixed, "ignore-unfixed", false, "vuln: drop vulnerabilities without a fixed version")
	fl.BoolVar(&failOnUnknown, "fail-on-unknown", false, "vuln: exit 1 when no package database is found, so vulnerabilities could not be assessed")
	fl.StringArrayVar(&vexFiles, "vex", nil, "vuln: an OpenVEX document whose not_affected statements suppress findings (repeatable)")
	fl.BoolVar(&checkUpdates, "check-updates", false, "ask the registry whether the image's tag (repo:tag@sha256:...) or its base image's tag now names a newer digest (IM1009)")
	fl.BoolVar(&requireSignature, "require-signature", false, "verify the image's cosign signatures in its registry; unsigned or wrongly signed is a finding (IM1008)")
	tf.register(fl, "--require-signature: ")
	return cmd
}

// parseScanners reads --scanners into a set.
func parseScanners(s string) (map[string]bool, error) {
	known := map[string]bool{}
	for _, n := range engine.ImageScanners {
		known[n] = true
	}
	out := map[string]bool{}
	for _, n := range strings.Split(s, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		if !known[n] {
			return nil, usageErr("--scanners: unknown scanner %q (want %s)", n, strings.Join(engine.ImageScanners, ", "))
		}
		out[n] = true
	}
	if len(out) == 0 {
		return nil, usageErr("--scanners: choose at least one of %s", strings.Join(engine.ImageScanners, ", "))
	}
	return out, nil
}

// openVulnDB opens the vulnerability database for --scanners vuln; a
// missing or corrupt database is exit 2.
func openVulnDB(flag string) (*vuln.DB, error) {
	path, err := resolveDBPath(flag)
	if err != nil {
		return nil, err
	}
	db, err := vuln.Open(path)
	if err != nil {
		if errors.Is(err, vuln.ErrNoDatabase) {
			return nil, usageErr("no vulnerability database at %s: run `shipshape db update` to fetch the default feeds, or `shipshape db import FILE` for local data (--db PATH to choose; or leave vuln out: --scanners config,secret,files,bloat)", path)
		}
		return nil, dbErr(err)
	}
	return db, nil
}

// startProgress prints a line on stderr when a scan takes a while and
// stderr is a terminal; the returned function ends it.
func startProgress(e *env, ref string) func() {
	f, ok := e.stderr.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return func() {}
	}
	start := time.Now()
	t := time.AfterFunc(progressAfter, func() { fmt.Fprintf(f, "shipshape: scanning %s...\r", ref) })
	return func() {
		if !t.Stop() {
			fmt.Fprintf(f, "shipshape: scanned %s in %s\n", ref, time.Since(start).Round(time.Millisecond))
		}
	}
}

// imageHelpLong is the long help of the image command.
const imageHelpLong = `Inspect an image in one streaming pass over its configuration and every
layer, without a Docker daemon and without unpacking it on disk. Files that
a later layer deleted are still inspected: a secret removed in a later RUN
still ships in the layer that added it, and is reported with that layer and
the instruction that created it.

REF is one of (an explicit scheme wins; otherwise an existing path is
sniffed, then a local daemon is asked, then a registry):
  docker-archive:PATH   a docker save tarball (gzip or not); a plain *.tar path works too
  oci:PATH              an OCI image layout directory or tarball
  registry:NAME[:TAG]   a registry image; plain name:tag and name@sha256:... too
                        (credentials from ~/.docker/config.json and its helpers)
  docker:NAME           an image of the local Docker Engine (its API socket)
  podman:NAME           an image of the local podman API socket
  sbom:PATH             a CycloneDX (JSON, XML) or SPDX JSON SBOM, scanned for
                        vulnerabilities without the image; a plain path to an
                        SBOM document works too

Scanners (--scanners, default all):
  config   the image configuration: root user, healthcheck, ADD/sudo in history,
           exposed ports, age, base image (IM10xx)
  secret   credentials in any layer and in Env/labels (IM1002, IM11xx)
  files    setuid/setgid, world-writable paths, shells, package managers,
           build tools, sudo, accounts, OS and end of life (IM12xx, IM14xx, IM15xx)
  bloat    package caches, reclaimable bytes and efficiency, size (IM13xx)
  vuln     vulnerabilities of the packages found (dpkg, apk, rpm, Go binaries,
           npm, Python, Java) against the offline database (shipshape db
           import / db update; --db PATH); without a database vuln stops with
           exit 2: leave it out with --scanners config,secret,files,bloat.
           --ignore-unfixed drops vulnerabilities without a fixed version,
           --vex FILE (OpenVEX) suppresses those declared not affected,
           .shipshapeignore.yaml entries {id, package, reason} suppress by
           advisory id or alias and by binary or source package name.
           Vulnerabilities without severity data show as unknown and gate
           as high (config unknown-severity: to choose). An image where no
           package database is found says so; --fail-on-unknown fails it.

With --require-signature the image's cosign signatures are verified in its
registry before the rules run (as shipshape verify does: keys from --key, a
keyless identity from --trusted-root and --certificate-*, or the trust
section of .shipshape.yaml): an unsigned or wrongly signed image is finding
IM1008; an image
read from an archive or a daemon cannot show its signatures and fails too.

With --check-updates the registry is asked whether the tag the image came
from (given as repo:tag@sha256:...) or the tag of its base image (the
org.opencontainers.image.base.name and base.digest annotations) now names a
newer digest: IM1009 says how many days newer it is and which OS packages it
upgrades. Without the flag nothing is fetched.

Results are cached per layer in the user cache directory, so rescanning an
image that shares base layers reads only its new layers (--no-cache: off).
With --dockerfile, SARIF and GitHub annotations attach each finding to the
Dockerfile line that produced its layer; otherwise to image/<path>.

Exit codes: 0 nothing at or above the gate, 1 findings at or above the gate
(--fail-on, default high), 2 the image cannot be read (unreachable registry,
missing tag, corrupt or truncated layer) or a usage error.`

// imageHelpExample are the examples of the image command.
const imageHelpExample = `  shipshape image --scanners config,secret,files,bloat app.tar
  shipshape image --scanners config,secret,files,bloat docker-archive:build/app.tar.gz
  shipshape image --scanners config,secret,files,bloat oci:build/oci-layout
  shipshape image --scanners config,secret,files,bloat --platform linux/arm64 registry:ghcr.io/acme/app:1.4
  shipshape image --scanners config,secret,files,bloat --insecure localhost:5000/app:dev
  shipshape image --scanners config,secret,files,bloat docker:myapp:latest
  shipshape image --scanners secret --format sarif --dockerfile Dockerfile -o image.sarif app.tar
  shipshape image --scanners config --require-signature --key cosign.pub registry.example.com/app:1.4
  shipshape image --scanners config --check-updates registry.example.com/app:1.4@sha256:...
  shipshape image --scanners vuln --ignore-unfixed --vex vex.json app.tar
  shipshape image --scanners vuln --format sarif sbom:app.cdx.json`

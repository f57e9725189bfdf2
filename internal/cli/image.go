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
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/scan"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// progressAfter is how long a scan runs before a progress line appears on
// a terminal; short scans stay silent.
const progressAfter = 2 * time.Second

func newImageCmd(e *env) *cobra.Command {
	var sf scanFlags
	var platform, scanners, dockerfilePath string
	var insecure, noCache bool
	cmd := &cobra.Command{
		Use:   "image REF",
		Short: "Inspect a container image without a daemon: config, every layer, secrets, setuid, bloat",
		Long: `Inspect an image in one streaming pass over its configuration and every
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
           exit 2: leave it out with --scanners config,secret,files,bloat

Results are cached per layer in the user cache directory, so rescanning an
image that shares base layers reads only its new layers (--no-cache: off).
With --dockerfile, SARIF and GitHub annotations attach each finding to the
Dockerfile line that produced its layer; otherwise to image/<path>.

Exit codes: 0 nothing at or above the gate, 1 findings at or above the gate
(--fail-on, default high), 2 the image cannot be read (unreachable registry,
missing tag, corrupt or truncated layer) or a usage error.`,
		Example: `  shipshape image --scanners config,secret,files,bloat app.tar
  shipshape image --scanners config,secret,files,bloat docker-archive:build/app.tar.gz
  shipshape image --scanners config,secret,files,bloat oci:build/oci-layout
  shipshape image --scanners config,secret,files,bloat --platform linux/arm64 registry:ghcr.io/acme/app:1.4
  shipshape image --scanners config,secret,files,bloat --insecure localhost:5000/app:dev
  shipshape image --scanners config,secret,files,bloat docker:myapp:latest
  shipshape image --scanners secret --format sarif --dockerfile Dockerfile -o image.sarif app.tar`,
		Args: cobra.ExactArgs(1),
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
			var vulnDB *vuln.DB
			if selected["vuln"] {
				if vulnDB, err = openVulnDB(sf.db); err != nil {
					return err
				}
				defer vulnDB.Close()
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
			var src *report.ImageSource
			var df *dockerfile.File
			if dockerfilePath != "" {
				data, err := os.ReadFile(dockerfilePath)
				if err != nil {
					return usageErr("--dockerfile: %v", err)
				}
				if df, err = dockerfile.Parse(dockerfilePath, data, dockerfile.Options{}); err != nil {
					return usageErr("--dockerfile %s: %v", dockerfilePath, err)
				}
			}

			stop := startProgress(e, ref)
			img, err := openAndScan(e, ref, image.OpenOptions{Platform: platform, Insecure: insecure},
				scanOptions(e, cfg, selected, noCache))
			stop()
			if err != nil {
				return &exitError{code: ExitError, err: fmt.Errorf("image %s: %w", ref, err)}
			}
			findings := scan.ScanImage(e.ctx, img, e.rules, cfg, selected, time.Now())
			if vulnDB != nil {
				vf, warn, err := scanVulns(img, vulnDB)
				if err != nil {
					return &exitError{code: ExitError, err: fmt.Errorf("image %s: %w", ref, err)}
				}
				findings = append(findings, vf...)
				img.Warnings = append(img.Warnings, warn...)
			}
			if df != nil {
				lines := scan.ImageDockerfileLines(df)
				src = &report.ImageSource{Dockerfile: dockerfilePath, Lines: map[string]int{"": lines[""]}}
				for _, f := range findings {
					if f.Image != nil && f.Image.Instruction != "" {
						if n, ok := lines[scan.NormalizeInstruction(f.Image.Instruction)]; ok {
							src.Lines[f.Image.Instruction] = n
						}
					}
				}
			}
			shown := findings[:0:0]
			for _, f := range findings {
				if filter == nil || filter[f.Severity] {
					shown = append(shown, f)
				}
			}
			var notes []report.Notification
			for _, w := range img.Warnings {
				fmt.Fprintf(e.stderr, "shipshape: %s: %s\n", ref, w)
				notes = append(notes, report.Notification{File: ref, Message: w, Level: "warning"})
			}
			rep := &report.Report{
				Tool: "shipshape", Version: Version, Findings: shown, Files: []string{ref},
				Notifications: notes, Rules: e.rules, Gate: gate, ImageSource: src,
				Color: sf.output == "" && colorWanted(sf.color, e.stdout),
			}
			if strings.EqualFold(sf.format, "text") && sf.output == "" {
				rep.Notifications = nil
			}
			if err := sf.emit(e, rep); err != nil {
				return err
			}
			if rep.Failing() > 0 {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	sf.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: this machine's)")
	fl.BoolVar(&insecure, "insecure", false, "allow plain-HTTP and unverified-TLS registries")
	fl.StringVar(&scanners, "scanners", strings.Join(scan.ImageScanners, ","), "scanners to run: "+strings.Join(scan.ImageScanners, ", ")+" (vuln needs a vulnerability database)")
	fl.StringVar(&dockerfilePath, "dockerfile", "", "the Dockerfile the image was built from; SARIF and GitHub output point findings at its lines")
	fl.BoolVar(&noCache, "no-cache", false, "do not read or write the per-layer result cache")
	return cmd
}

// parseScanners reads --scanners into a set.
func parseScanners(s string) (map[string]bool, error) {
	known := map[string]bool{}
	for _, n := range scan.ImageScanners {
		known[n] = true
	}
	out := map[string]bool{}
	for _, n := range strings.Split(s, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		if !known[n] {
			return nil, usageErr("--scanners: unknown scanner %q (want %s)", n, strings.Join(scan.ImageScanners, ", "))
		}
		out[n] = true
	}
	if len(out) == 0 {
		return nil, usageErr("--scanners: choose at least one of %s", strings.Join(scan.ImageScanners, ", "))
	}
	return out, nil
}

func scanOptions(e *env, cfg *config.Config, selected map[string]bool, noCache bool) image.ScanOptions {
	opts := scan.ImageScanOptions(e.rules, cfg, selected)
	if selected["vuln"] {
		opts = sbom.ScanOptions(opts)
	}
	opts.NoCache = noCache
	return opts
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
			return nil, usageErr("no vulnerability database, run `shipshape db import` (looked for %s; --db PATH to choose, or leave vuln out: --scanners config,secret,files,bloat)", path)
		}
		return nil, dbErr(err)
	}
	return db, nil
}

// scanVulns catalogues the scanned image and matches its packages. The
// catalogue's notes (no package database found) come back as warnings,
// so that an image without one is never reported as clean in silence.
func scanVulns(img *image.Image, db *vuln.DB) ([]rule.Finding, []string, error) {
	s := sbom.FromImage(img)
	res, err := vuln.Match(s.Packages, s.Distro, db, vuln.Options{})
	if err != nil {
		return nil, nil, err
	}
	return vuln.Findings(res, img.Ref), s.Notes, nil
}

// openAndScan resolves REF and runs the streaming pass.
func openAndScan(e *env, ref string, oo image.OpenOptions, so image.ScanOptions) (*image.Image, error) {
	src, err := image.Open(e.ctx, ref, oo)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return image.Scan(e.ctx, src, so)
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

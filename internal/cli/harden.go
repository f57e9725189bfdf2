package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/harden"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// hardenFlags are the flags of `shipshape harden`.
type hardenFlags struct {
	output, format, tag, push, configFile, verifyCmd, platform, tempDir string
	dryRun, insecure, noCache                                           bool
	plan                                                                harden.Options
}

func newHardenCmd(e *env) *cobra.Command {
	var hf hardenFlags
	cmd := &cobra.Command{
		Use:     "harden IMAGE (-o OUT | --push REF | --dry-run)",
		Short:   "Rewrite an image into a hardened one: no setuid bits, caches or dead bytes, a non-root user, verified",
		Long:    hardenHelpLong,
		Example: hardenHelpExample,
		Args:    cobra.ExactArgs(1),
		RunE:    func(cmd *cobra.Command, args []string) error { return runHarden(e, &hf, args[0]) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&hf.output, "output", "o", "", "write the hardened image here: a docker-archive tar (default) or, with --format oci, an OCI layout directory")
	fl.StringVar(&hf.format, "format", "docker", "output format of -o: docker (docker-archive, for docker load) or oci (OCI image layout)")
	fl.StringVar(&hf.tag, "tag", "", "the name the written image carries (docker load tags it so); default: IMAGE's name with -hardened added to the tag")
	fl.StringVar(&hf.push, "push", "", "push the hardened image to this registry reference, with its SBOM as an OCI referrer")
	fl.BoolVar(&hf.dryRun, "dry-run", false, "print the plan and exit: 1 when there is something to harden, 0 when nothing")
	fl.StringSliceVar(&hf.plan.Allow, "allow", nil, "setuid/setgid files that keep their bits (absolute paths, repeatable or comma-separated)")
	fl.StringVar(&hf.plan.User, "user", "", "run as this account; it is created (passwd and group entries, a free uid from 10001) when the image has none")
	fl.BoolVar(&hf.plan.KeepUser, "keep-user", false, "leave the configured user as it is")
	fl.BoolVar(&hf.plan.RemoveShells, "remove-shells", false, "also remove shells and package managers (refused when the entrypoint, command or healthcheck needs a shell)")
	fl.StringVar(&hf.verifyCmd, "verify-cmd", "", "run this command (as arguments to the image's entrypoint) in the original and the hardened image with the Docker Engine, and require the same exit code and output")
	fl.StringVar(&hf.configFile, "config", "", "use this config file instead of discovering .shipshape.yaml (rule settings and ignores for the verification scan)")
	fl.StringVar(&hf.platform, "platform", "", "platform to pick from a multi-platform image, os/arch[/variant] (default: this machine's)")
	fl.BoolVar(&hf.insecure, "insecure", false, "allow plain-HTTP and unverified-TLS registries (reading and --push)")
	fl.BoolVar(&hf.noCache, "no-cache", false, "do not read or write the per-layer result cache")
	fl.StringVar(&hf.tempDir, "temp-dir", "", "where layers are spooled while the image is rewritten (needs about the image's uncompressed size; default: the system's temporary directory)")
	return cmd
}

// check validates the flag combination before any image is read.
func (hf *hardenFlags) check() error {
	if hf.format != "docker" && hf.format != "oci" {
		return usageErr("--format: want docker or oci, got %q", hf.format)
	}
	if !hf.dryRun && hf.output == "" && hf.push == "" {
		return usageErr("say where the hardened image goes: -o OUT, --push REF, or --dry-run to only print the plan")
	}
	if hf.dryRun && (hf.output != "" || hf.push != "" || hf.verifyCmd != "") {
		return usageErr("--dry-run writes nothing: leave out -o, --push and --verify-cmd")
	}
	if hf.plan.KeepUser && hf.plan.User != "" {
		return usageErr("--user and --keep-user contradict each other")
	}
	for _, a := range hf.plan.Allow {
		if !strings.HasPrefix(a, "/") {
			return usageErr("--allow %q: give the absolute path of the file in the image", a)
		}
	}
	return nil
}

func runHarden(e *env, hf *hardenFlags, ref string) error {
	if err := hf.check(); err != nil {
		return err
	}
	args, err := verifyArgs(hf.verifyCmd)
	if err != nil {
		return err
	}
	cfg, err := hardenConfig(e.rules, hf.configFile)
	if err != nil {
		return err
	}
	tag, err := hardenTag(hf.tag, ref)
	if err != nil {
		return err
	}
	stop := startProgress(e, ref)
	progress := progressTo(e)
	s, err := harden.Start(e.ctx, harden.RunOptions{
		Ref: ref, Open: imageread.OpenOptions{Platform: hf.platform, Insecure: hf.insecure, TempDir: hf.tempDir}, NoCache: hf.noCache,
		Plan: hf.plan, Rules: e.rules, Config: cfg, Version: e.build.Version, Progress: progress, TempDir: hf.tempDir,
	})
	stop()
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("harden %s: %w", ref, err)}
	}
	defer s.Close()
	writePlan(e.stdout, ref, s.Plan)
	if hf.dryRun {
		if s.Plan.Empty() {
			return nil
		}
		return &exitError{code: ExitFindings}
	}
	b, err := s.Build(e.ctx)
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("harden %s: %w", ref, err)}
	}
	defer b.Close()
	if progress != nil {
		progress("layers written, verifying\n")
	}
	v, err := s.Verify(e.ctx, b)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	writeVerification(e.stdout, v)
	if !v.OK() {
		return &exitError{code: ExitFindings, err: errors.New("verification failed: the hardened image was not written")}
	}
	if args != nil {
		if err := verifyCommand(e, hf, s, b, args); err != nil {
			return err
		}
	}
	return writeHardened(e, hf, tag, b)
}

// verifyArgs splits --verify-cmd, before any image is read.
func verifyArgs(cmd string) ([]string, error) {
	if cmd == "" {
		return nil, nil
	}
	args, err := harden.SplitCommand(cmd)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return args, nil
}

// hardenConfig is the configuration of the verification scan: --config,
// else the current directory's .shipshape.yaml, as `image` reads it.
func hardenConfig(reg *rule.Registry, file string) (*config.Config, error) {
	fd := config.NewFinder(reg)
	if file != "" {
		c, err := config.Load(file, reg)
		if err != nil {
			return nil, usageErr("%v", err)
		}
		fd.Fixed = c
	}
	cfg, err := fd.For(".")
	if err != nil {
		return nil, usageErr("%v", err)
	}
	if cfg == nil {
		cfg = config.Default()
	}
	return cfg, nil
}

// hardenTag is --tag, else the image's own name with "-hardened" added to
// its tag (name@digest gets the tag "hardened"), else
// shipshape-hardened:latest (for a file or a directory).
func hardenTag(flag, ref string) (string, error) {
	if flag != "" {
		if _, err := name.NewTag(flag); err != nil {
			return "", usageErr("--tag %q: %v", flag, err)
		}
		return flag, nil
	}
	const fallback = "shipshape-hardened:latest"
	r := ref
	if s, rest, ok := strings.Cut(ref, ":"); ok {
		switch s {
		case "docker", "podman", "registry":
			r = rest
		case "docker-archive", "oci", "dir", "sbom":
			return fallback, nil
		}
	}
	if _, err := os.Stat(ref); err == nil {
		return fallback, nil
	}
	if d, err := name.NewDigest(r); err == nil {
		return familiar(d.Context().Tag("hardened")), nil
	}
	if t, err := name.NewTag(r); err == nil {
		return familiar(t.Context().Tag(t.TagStr() + "-hardened")), nil
	}
	return fallback, nil
}

// familiar writes a Docker Hub name the way docker prints it
// (myapp:1.4, not index.docker.io/library/myapp:1.4).
func familiar(t name.Tag) string {
	s := t.String()
	if t.RegistryStr() == name.DefaultRegistry {
		s = strings.TrimPrefix(strings.TrimPrefix(s, name.DefaultRegistry+"/"), "library/")
	}
	return s
}

// progressTo tells a terminal which layer is being written.
func progressTo(e *env) func(string) {
	f, ok := e.stderr.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	return func(msg string) { fmt.Fprintf(f, "shipshape: harden: %s\r", msg) }
}

// verifyCommand runs --verify-cmd in both images and fails on a
// difference.
func verifyCommand(e *env, hf *hardenFlags, s *harden.Session, b *harden.Built, args []string) error {
	orig, err := harden.Build(e.ctx, s.Source, s.Before, &harden.Plan{}, harden.BuildOptions{Copy: true, TempDir: hf.tempDir})
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("--verify-cmd: copy the original: %w", err)}
	}
	defer orig.Close()
	check, err := harden.Docker{TempDir: hf.tempDir}.VerifyCommand(e.ctx, orig.Image, b.Image, args)
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("--verify-cmd (needs a Docker Engine): %w", err)}
	}
	fmt.Fprintf(e.stdout, "verify-cmd %q: original exit %d, hardened exit %d", strings.Join(args, " "), check.Original.Exit, check.Hardened.Exit)
	if check.Same() {
		fmt.Fprintln(e.stdout, ", same output")
		return nil
	}
	fmt.Fprintln(e.stdout, ", output differs")
	for _, side := range []struct {
		n string
		r harden.RunResult
	}{{"original", check.Original}, {"hardened", check.Hardened}} {
		fmt.Fprintf(e.stdout, "  %s stdout: %q\n  %s stderr: %q\n", side.n, clip(side.r.Stdout), side.n, clip(side.r.Stderr))
	}
	return &exitError{code: ExitFindings, err: errors.New("verification failed: --verify-cmd behaves differently in the hardened image; it was not written")}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// writeHardened writes -o and pushes --push.
func writeHardened(e *env, hf *hardenFlags, tag string, b *harden.Built) error {
	if hf.output != "" {
		var err error
		if hf.format == "oci" {
			err = harden.WriteOCILayout(hf.output, tag, b.Image)
		} else {
			err = harden.WriteDockerArchive(hf.output, tag, b.Image)
		}
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
		fmt.Fprintf(e.stdout, "wrote %s (%s, %s)\n", hf.output, formatName(hf.format), tag)
	}
	if hf.push != "" {
		d, err := harden.Push(e.ctx, hf.push, b.Image, b.SBOM, harden.PushOptions{Insecure: hf.insecure})
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
		fmt.Fprintf(e.stdout, "pushed %s with its SBOM as a referrer\n", d)
	}
	return nil
}

func formatName(f string) string {
	if f == "oci" {
		return "OCI layout"
	}
	return "docker-archive"
}

// writePlan prints the plan, one line per path.
func writePlan(w io.Writer, ref string, p *harden.Plan) {
	if p.Empty() {
		fmt.Fprintf(w, "plan for %s: nothing to harden\n", ref)
	} else {
		fmt.Fprintf(w, "plan for %s: %d changes, %s of file data removed\n", ref, len(p.Changes), humanBytes(p.Bytes()))
	}
	for _, c := range p.Changes {
		where := c.Path
		if where == "" {
			where = "(config)"
		}
		line := fmt.Sprintf("  %-22s %s", c.Kind, where)
		if len(c.Layers) > 0 {
			line += fmt.Sprintf("  layer %s", joinInts(c.Layers))
		}
		if c.Bytes > 0 {
			line += "  " + humanBytes(c.Bytes)
		}
		if c.Detail != "" {
			line += "  (" + c.Detail + ")"
		}
		fmt.Fprintln(w, line)
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// writeVerification prints the before/after counts and any finding that
// stayed or appeared.
func writeVerification(w io.Writer, v *harden.Verification) {
	fmt.Fprintf(w, "verify: %d findings before, %d after; %d targeted fixed, %d targeted remaining, %d new\n",
		len(v.Before), len(v.After), len(v.Fixed), len(v.Remaining), len(v.New))
	for _, f := range v.Remaining {
		fmt.Fprintf(w, "  remaining: %s %s\n", f.RuleID, f.Message)
	}
	for _, f := range v.New {
		fmt.Fprintf(w, "  new: %s %s\n", f.RuleID, f.Message)
	}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ",")
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

const hardenHelpLong = `Rewrite an image into a hardened copy, prove the copy is better, and write it.

IMAGE is read like ` + "`shipshape image`" + ` reads it (docker-archive:, oci:, dir:, docker:,
podman:, registry:, or a path or name that is sniffed). Work goes in three steps:

  plan     one streaming pass over the image decides every change, per path
           and layer, with the bytes it removes; --dry-run prints it and stops
  apply    each layer is streamed once and rewritten without the planned
           entries (never loaded in memory); one layer with the SBOM is added
  verify   the hardened image is scanned with the image rules: every finding
           the plan targets must be gone and none may be new; --verify-cmd
           also runs a command in both images with the Docker Engine

Changes (docs/harden.md says why each is safe):
  strip-setuid      clear setuid/setgid bits (IM1200), except --allow paths
  remove-cache      delete apt lists, apt/apk/yum/dnf/zypper caches, pip, npm,
                    yarn, pnpm and Go build caches (IM1300); the package
                    databases (dpkg status, apk installed, rpm db) stay
  drop-shadowed     drop file copies a later layer deleted or overwrote (IM1301)
  set-user          run as an existing unprivileged account when the image
                    runs as root (IM1000); --user NAME picks or creates one
  remove-shell, remove-package-manager
                    with --remove-shells only (IM1202, IM1203)

The result carries the labels org.shipshape.hardened=true,
org.shipshape.hardened.version, org.shipshape.hardened.actions,
org.shipshape.hardened.from and org.shipshape.sbom, and a CycloneDX SBOM at
` + harden.SBOMPath + ` (with --push also as an OCI referrer).

Exit codes: 0 written and verified (with --dry-run: nothing to harden), 1 the
verification failed and nothing was written (with --dry-run: there is
something to harden), 2 usage or input error, or a refused option.`

const hardenHelpExample = `  # See what would change, per path, with sizes
  shipshape harden --dry-run myapp:1.4

  # Harden a saved image and load the result
  docker save -o app.tar myapp:1.4
  shipshape harden app.tar -o app-hardened.tar
  docker load -i app-hardened.tar

  # Create an account, drop shells, and check the app still answers the same
  shipshape harden docker:myapp:1.4 --user app --remove-shells \
    --verify-cmd "--version" -o app-hardened.tar

  # Write an OCI layout, or push with the SBOM as a referrer
  shipshape harden registry:ghcr.io/acme/app:1.4 -o app-oci --format oci
  shipshape harden registry:ghcr.io/acme/app:1.4 --push ghcr.io/acme/app:1.4-hardened`

package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/spf13/cobra"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/eol"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/recommend"
	"github.com/shipshape-sec/shipshape/internal/remoteopt"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// recommendSchemaVersion is the version of recommend's JSON document
// (docs/recommend.md); it follows semver like the report's.
const recommendSchemaVersion = "1.0.0"

// recommend is its own command rather than a flag of image or lint: it
// takes images and Dockerfiles alike, compares several images with one
// another instead of judging one, and its answer is a table of candidates,
// not findings.
func newRecommendCmd(e *env) *cobra.Command {
	var online, insecure, noCache, skipVulns bool
	var format, failOn, configPath, dbPath, platform string
	var mirrorFlags, buildArgs []string
	cmd := &cobra.Command{
		Use:     "recommend IMAGE|DOCKERFILE...",
		Short:   "Recommend a leaner or supported base image: slim variants and newer releases, compared online",
		Long:    recommendHelpLong,
		Example: recommendHelpExample,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("--format: unknown format %q (want text, json)", format)
			}
			mirrors := recommend.Mirrors{}
			for _, m := range mirrorFlags {
				if err := mirrors.Set(m); err != nil {
					return usageErr("--mirror: %v", err)
				}
			}
			bargs := map[string]string{}
			for _, a := range buildArgs {
				k, v, ok := strings.Cut(a, "=")
				if !ok || k == "" {
					return usageErr("--build-arg: %q: want NAME=VALUE", a)
				}
				bargs[k] = v
			}
			sf := scanFlags{config: configPath, failOn: failOn}
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
			var o recommend.Options
			if online {
				if o, err = recommendOnline(insecure, noCache, platform, mirrors); err != nil {
					return err
				}
				o.UnknownAs = cfg.UnknownSeverity
				if !skipVulns {
					if o.DB, err = openVulnDB(dbPath); err != nil {
						return err
					}
					defer o.DB.Close()
				}
			}
			table, now := eol.Default(), time.Now()
			out := recommendJSON{SchemaVersion: recommendSchemaVersion, Tool: "shipshape", Version: e.build.Version,
				Online: online, Complete: true, Gate: gateName(gate), Targets: []recommendTarget{}}
			for _, arg := range args {
				t, err := recommendTargetOf(arg, bargs, mirrors)
				if err != nil {
					out.Complete = false
					fmt.Fprintf(e.stderr, "shipshape: %v\n", err)
					continue
				}
				rec := recommend.Offline(t, table, now)
				if online {
					if err := recommend.Compare(e.ctx, &rec, o); err != nil {
						out.Complete = false
						fmt.Fprintf(e.stderr, "shipshape: %s: --online: %v; nothing was compared (without --online the offline candidates are listed)\n", arg, err)
						continue
					}
				}
				rt := recommendTargetJSON(rec)
				for _, c := range rt.Candidates {
					if c.Recommended && gate != 0 && c.Severity.AtLeast(gate) {
						out.Failing++
					}
				}
				out.Targets = append(out.Targets, rt)
			}
			if err := writeRecommend(e, format, out); err != nil {
				return err
			}
			switch {
			case !out.Complete:
				return &exitError{code: ExitError}
			case out.Failing > 0:
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&online, "online", false, "look every candidate up in its registry and compare packages, vulnerabilities and size with the image in use")
	fl.StringVarP(&format, "format", "f", "text", "output format: text, json")
	fl.StringVar(&failOn, "fail-on", "", "exit 1 when a recommended candidate is at or above this severity: critical, high, medium, low, info, none (default high, or fail-on from .shipshape.yaml)")
	fl.StringVarP(&configPath, "config", "c", "", "use this config file instead of discovering .shipshape.yaml")
	fl.StringVar(&dbPath, "db", "", "vulnerability database path, as for image (--online)")
	fl.BoolVar(&skipVulns, "skip-vulns", false, "--online: compare packages and size only, without a vulnerability database")
	fl.BoolVar(&insecure, "insecure", false, "allow plain-HTTP and unverified-TLS registries")
	fl.StringVar(&platform, "platform", "", "platform to pick from multi-platform images, os/arch[/variant] (default: linux and this machine's architecture)")
	fl.StringArrayVar(&mirrorFlags, "mirror", nil, "read a registry's images from a mirror, REGISTRY=MIRROR[/PREFIX] (repeatable), e.g. docker.io=harbor.example.com/hub")
	fl.StringArrayVar(&buildArgs, "build-arg", nil, "a Dockerfile build argument, NAME=VALUE (repeatable), for FROM lines built from ARGs")
	fl.BoolVar(&noCache, "no-cache", false, "--online: do not read or write the per-layer result cache")
	return cmd
}

// recommendOnline builds the registry options of --online.
func recommendOnline(insecure, noCache bool, platform string, m recommend.Mirrors) (recommend.Options, error) {
	o := recommend.Options{Name: remoteopt.Name(insecure), Remote: remoteopt.Remote(nil, nil, insecure), Mirrors: m,
		Platform: v1.Platform{OS: "linux", Architecture: runtime.GOARCH}, Scan: imageread.ScanOptions{NoCache: noCache}}
	if platform != "" {
		p, err := v1.ParsePlatform(platform)
		if err != nil {
			return o, usageErr("--platform: %v", err)
		}
		o.Platform = *p
	}
	return o, nil
}

// recommendTargetOf reads one argument: an existing file is a
// Dockerfile, a directory the Dockerfile (or Containerfile) in it, and
// anything else an image reference; a name that looks like a path but
// does not exist is an error rather than a registry lookup.
func recommendTargetOf(arg string, buildArgs map[string]string, m recommend.Mirrors) (recommend.Target, error) {
	fi, err := os.Stat(arg)
	switch {
	case err == nil && fi.IsDir():
		for _, n := range []string{"Dockerfile", "Containerfile"} {
			p := filepath.Join(arg, n)
			if _, err := os.Stat(p); err == nil {
				return recommend.FromDockerfile(p, buildArgs, m)
			}
		}
		return recommend.Target{}, fmt.Errorf("%s: no Dockerfile or Containerfile in the directory", arg)
	case err == nil:
		return recommend.FromDockerfile(arg, buildArgs, m)
	case !errors.Is(err, fs.ErrNotExist):
		return recommend.Target{}, err
	}
	base := strings.ToLower(filepath.Base(arg))
	if strings.ContainsAny(arg, `\`) || strings.HasPrefix(arg, ".") || strings.HasPrefix(arg, "/") || strings.HasPrefix(arg, "~") ||
		strings.Contains(base, "dockerfile") || strings.Contains(base, "containerfile") {
		return recommend.Target{}, fmt.Errorf("%s: %w", arg, fs.ErrNotExist)
	}
	return recommend.ParseTarget(arg, m)
}

func gateName(g rule.Severity) string {
	if g == 0 {
		return "none"
	}
	return g.String()
}

// recommendJSON is recommend's JSON document (docs/recommend.md).
type recommendJSON struct {
	SchemaVersion string `json:"schemaVersion"`
	Tool          string `json:"tool"`
	Version       string `json:"version"`
	Online        bool   `json:"online"`
	// Complete is false when a target could not be read or compared.
	Complete bool   `json:"complete"`
	Gate     string `json:"gate"`
	// Failing counts recommended candidates at or above the gate.
	Failing int               `json:"failing"`
	Targets []recommendTarget `json:"targets"`
}

type recommendTarget struct {
	Ref        string                `json:"ref"`
	File       string                `json:"file,omitempty"`
	Line       int                   `json:"line,omitempty"`
	Stage      string                `json:"stage,omitempty"`
	Family     string                `json:"family"`
	Ended      []string              `json:"ended"`
	Current    *recommend.Facts      `json:"current"`
	Candidates []recommend.Candidate `json:"candidates"`
	Note       string                `json:"note,omitempty"`
}

func recommendTargetJSON(rec recommend.Recommendation) recommendTarget {
	t := recommendTarget{Ref: rec.Target.Ref, File: rec.Target.File, Line: rec.Target.Line, Stage: rec.Target.Stage,
		Family: rec.Family, Ended: rec.Ended, Current: rec.Current, Candidates: rec.Candidates, Note: rec.Note}
	if t.Ended == nil {
		t.Ended = []string{}
	}
	if t.Candidates == nil {
		t.Candidates = []recommend.Candidate{}
	}
	for i := range t.Candidates {
		if t.Candidates[i].Reasons == nil {
			t.Candidates[i].Reasons = []string{}
		}
	}
	return t
}

func writeRecommend(e *env, format string, out recommendJSON) error {
	if format == "json" {
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	}
	var b strings.Builder
	for i, t := range out.Targets {
		if i > 0 {
			b.WriteString("\n")
		}
		writeRecommendText(&b, t, out.Online)
	}
	switch {
	case !out.Complete:
		b.WriteString("\nincomplete: a target could not be read or compared (see above)\n")
	case out.Failing > 0:
		fmt.Fprintf(&b, "\n%d recommendation(s) at or above %s\n", out.Failing, out.Gate)
	default:
		fmt.Fprintf(&b, "\nno recommendation at or above %s\n", out.Gate)
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

func writeRecommendText(b *strings.Builder, t recommendTarget, online bool) {
	b.WriteString(t.Ref)
	if t.File != "" {
		fmt.Fprintf(b, " (%s:%d", t.File, t.Line)
		if t.Stage != "" {
			fmt.Fprintf(b, ", final stage %s", t.Stage)
		}
		b.WriteString(")")
	}
	b.WriteString("\n")
	for _, e := range t.Ended {
		fmt.Fprintf(b, "  %s\n", e)
	}
	if t.Note != "" {
		fmt.Fprintf(b, "  %s\n", t.Note)
	}
	if len(t.Candidates) == 0 {
		return
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	if online && t.Current != nil {
		fmt.Fprintln(tw, "  \tSEVERITY\tIMAGE\tPACKAGES\tCRITICAL\tHIGH\tMEDIUM\tLOW\tUNKNOWN\tSIZE\tCHANGE")
		fmt.Fprintf(tw, "  \tcurrent\t%s\t%s\n", t.Ref, factsCells(t.Current))
		for _, c := range t.Candidates {
			mark := " "
			if c.Best {
				mark = "*"
			}
			switch {
			case c.Facts == nil:
				fmt.Fprintf(tw, "%s \t%s\t%s\t%s\n", mark, c.Severity, c.Ref, c.Problem)
			default:
				change := ""
				if c.Fixes != nil {
					change = fmt.Sprintf("fixes %d, adds %d", *c.Fixes, *c.Adds)
				}
				if c.Problem != "" {
					change += "; not recommended: " + c.Problem
				}
				fmt.Fprintf(tw, "%s \t%s\t%s\t%s\t%s\n", mark, c.Severity, c.Ref, factsCells(c.Facts), change)
			}
		}
	} else {
		for _, c := range t.Candidates {
			fmt.Fprintf(tw, "  \t%s\t%s\t%s\n", c.Severity, c.Ref, c.Kind)
		}
	}
	tw.Flush()
	// Reasons every candidate shares (the release that ended and its
	// successor) are written once.
	shared := sharedReasons(t.Candidates)
	if len(shared) > 0 && len(t.Candidates) > 1 {
		fmt.Fprintf(b, "  all: %s\n", strings.Join(shared, "; "))
	} else {
		shared = nil
	}
	for _, c := range t.Candidates {
		if c.Facts == nil && online {
			continue
		}
		rest := c.Reasons[len(shared):]
		if len(rest) == 0 {
			continue
		}
		fmt.Fprintf(b, "  %s: %s", c.Ref, strings.Join(rest, "; "))
		if c.Note != "" {
			fmt.Fprintf(b, " (%s)", c.Note)
		}
		b.WriteString("\n")
	}
	if online && t.Current != nil && t.Current.NotAssessed != "" {
		fmt.Fprintf(b, "  vulnerabilities not assessed for some packages of the image in use: %s\n", t.Current.NotAssessed)
	}
}

// sharedReasons is the leading run of reasons all candidates give.
func sharedReasons(cs []recommend.Candidate) []string {
	if len(cs) == 0 {
		return nil
	}
	n := len(cs[0].Reasons)
	for _, c := range cs[1:] {
		i := 0
		for i < n && i < len(c.Reasons) && c.Reasons[i] == cs[0].Reasons[i] {
			i++
		}
		n = i
	}
	return cs[0].Reasons[:n]
}

// factsCells are the table cells of one image's facts; "-" where
// vulnerabilities were not counted.
func factsCells(f *recommend.Facts) string {
	v := "-\t-\t-\t-\t-"
	if c := f.Vulnerabilities; c != nil {
		v = fmt.Sprintf("%d\t%d\t%d\t%d\t%d", c.Critical, c.High, c.Medium, c.Low, c.Unknown)
	}
	return fmt.Sprintf("%d\t%s\t%s", f.Packages, v, humanSize(f.Size))
}

// humanSize writes a byte count in decimal units, as registries show
// compressed sizes.
func humanSize(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

const recommendHelpLong = `Recommend what to build on instead of an image, the way Docker Scout's
base-image recommendations do. For each IMAGE, and for the image the final
stage of each DOCKERFILE is built on (through the stages it starts FROM;
an existing file or a directory holding a Dockerfile is read as one):

  - the leaner variants of the same release: node:22 -> node:22-slim,
    node:22-alpine and gcr.io/distroless/nodejs22-debian12; python:3.12 ->
    python:3.12-slim; debian:bookworm -> debian:bookworm-slim and
    gcr.io/distroless/base-debian12; a JDK -> its JRE; golang and rust ->
    distroless (the same tables as rule DF1203);
  - the newer supported tag, from the dated end-of-life table (DF1204):
    node:20 -> node:24 when Node.js 20 has ended, with that release's
    leaner variants, since a slim variant of an ended release keeps the
    problem; otherwise the release supported longest (python:3.12 ->
    python:3.14).

Offline nothing touches the network. With --online every candidate is
looked up in its registry (or in the --mirror given for that registry);
those that exist are read layer by layer as streams and compared with the
image in use: packages, vulnerabilities by severity from the offline
database (--db, as for image; --skip-vulns to go without), compressed size,
and how many vulnerabilities the move fixes and adds. A candidate that is
not in the registry, or that has more critical, high or unknown-severity
vulnerabilities than the image in use, is shown but not recommended; the
best one is marked *. A registry that cannot be reached fails the run:
"nothing better" is never said without asking.

Severities: a move off a release past end of life is high; a leaner variant
of a language image medium, of an operating system's image low; a newer
release while the current one is supported low. Online, a candidate that
fixes vulnerabilities rises to the highest severity it fixes (unknown
counts as high).

Exit codes: 0 nothing recommended at or above the gate (--fail-on, default
high): the image in use is already the best candidate, or its family is
unknown; 1 a recommended candidate at or above the gate; 2 usage error, a
Dockerfile that cannot be read, or with --online a registry that cannot be
reached or lacks the image in use. See docs/recommend.md.`

const recommendHelpExample = `  shipshape recommend node:20
  shipshape recommend Dockerfile --fail-on medium
  shipshape recommend --online debian:bookworm --format json
  shipshape recommend --online --mirror docker.io=harbor.example.com/hub --insecure python:3.12
  shipshape recommend --online --skip-vulns --platform linux/arm64 node:22`

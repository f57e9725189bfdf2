package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/freshness"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/report"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/trust"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// ImageOptions configure one image run.
type ImageOptions struct {
	// Ref is the image reference as the user gave it (see imageread.Open).
	Ref  string
	Open imageread.OpenOptions
	// Scanners selects among ImageScanners; nil means all.
	Scanners map[string]bool
	// NoCache turns the per-layer result cache off.
	NoCache bool
	// DB is the vulnerability database; it must be set when the vuln
	// scanner is selected.
	DB *vuln.DB
	// Vuln are the vulnerability scan's noise controls.
	Vuln VulnOptions
	// Dockerfile, when set, is the path of the Dockerfile the image was
	// built from: findings are attached to its lines in SARIF and GitHub
	// output.
	Dockerfile string
	Rules      *rule.Registry
	Config     *config.Config
	Now        time.Time
	// Signature, when set, verifies the image's cosign signatures in its
	// registry before the rules run (--require-signature); IM1008 reports
	// the verdict.
	Signature *SignatureCheck
	// Updates, when set, asks the registry whether the tag the image (or
	// its base) came from now names a newer digest (--check-updates);
	// IM1009 reports it. Nil: no network call is made.
	Updates *freshness.Options
}

// SignatureCheck says who may sign an image (public keys, keyless
// identities under a trusted root) and how to reach its registry.
type SignatureCheck struct {
	Policy  trust.Policy
	Options trust.Options
}

// ErrSBOMNeedsVuln is returned for an SBOM document given to Image without
// the vuln scanner: there is nothing else to check in one.
var ErrSBOMNeedsVuln = errors.New("an SBOM document can only be scanned for vulnerabilities (--scanners vuln)")

// Image reads one image (or an SBOM document) and runs the selected
// scanners: the image rules over its configuration and every layer, and the
// vulnerability matcher over its packages. Every finding goes through the
// pipeline. An error means the run could not do what was asked (the image
// or the Dockerfile cannot be read, the vuln scanner has no database).
func Image(ctx context.Context, o ImageOptions) (*Result, error) {
	if o.Config == nil {
		o.Config = config.Default()
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	vulnOn := o.Scanners == nil || o.Scanners["vuln"]
	if vulnOn && o.DB == nil {
		return nil, errors.New("the vuln scanner needs a vulnerability database")
	}
	var df *dockerfile.File
	if o.Dockerfile != "" {
		data, err := os.ReadFile(o.Dockerfile)
		if err != nil {
			return nil, fmt.Errorf("--dockerfile: %w", err)
		}
		if df, err = dockerfile.Parse(o.Dockerfile, data, dockerfile.Options{}); err != nil {
			return nil, fmt.Errorf("--dockerfile %s: %w", o.Dockerfile, err)
		}
	}
	res := &Result{Files: []string{o.Ref}}
	img, err := readImage(ctx, o.Ref, o.Open, imageScanOptions(o.Rules, o.Config, o.Scanners, vulnOn, o.NoCache))
	switch {
	case errors.Is(err, imageread.ErrNotImage):
		if !vulnOn {
			return nil, fmt.Errorf("%s is an SBOM document: %w", o.Ref, ErrSBOMNeedsVuln)
		}
		if o.Signature != nil {
			return nil, fmt.Errorf("%s is an SBOM document: it has no signatures to verify (--require-signature)", o.Ref)
		}
		if err := res.addSBOMVulns(strings.TrimPrefix(o.Ref, "sbom:"), o); err != nil {
			return nil, fmt.Errorf("image %s: %w", o.Ref, err)
		}
	case err != nil:
		return nil, fmt.Errorf("image %s: %w", o.Ref, err)
	default:
		if o.Signature != nil {
			if img.Signature, err = checkSignature(ctx, img, o.Ref, o.Signature); err != nil {
				return nil, fmt.Errorf("image %s: signature: %w", o.Ref, err)
			}
		}
		if o.Updates != nil {
			if err := res.checkUpdates(ctx, img, o); err != nil {
				return nil, fmt.Errorf("image %s: --check-updates: %w", o.Ref, err)
			}
		}
		res.Findings = ScanImage(ctx, img, o.Rules, o.Config, o.Scanners, o.Now)
		for _, w := range img.Warnings {
			res.addWarning(o.Ref, w)
		}
		if vulnOn {
			if err := res.addImageVulns(img, o); err != nil {
				return nil, fmt.Errorf("image %s: %w", o.Ref, err)
			}
		}
	}
	if df != nil {
		res.ImageSource = imageSource(o.Dockerfile, df, res.Findings)
	}
	fingerprint(res.Findings)
	return res, nil
}

// imageScanOptions are the streaming-pass options of an image run: what
// the selected image rules need, plus the catalogers' captures and content
// scanner when vulnerabilities are scanned.
func imageScanOptions(reg *rule.Registry, cfg *config.Config, scanners map[string]bool, vulnOn, noCache bool) imageread.ScanOptions {
	opts := ImageScanOptions(reg, cfg, scanners)
	if vulnOn {
		opts = sbom.ScanOptions(opts)
	}
	opts.NoCache = noCache
	return opts
}

// checkSignature verifies the signatures of a registry image. An image
// read from anywhere else (an archive, a daemon) cannot show the
// signatures its registry holds, so it does not verify: failing closed,
// since --require-signature asked for proof.
func checkSignature(ctx context.Context, img *image.Image, ref string, c *SignatureCheck) (*image.SignatureVerdict, error) {
	if img.Source != "registry" {
		return &image.SignatureVerdict{Digest: img.Digest, Problem: "the image was read from a " + img.Source +
			", not a registry, so its registry signatures cannot be checked (scan it by registry reference)"}, nil
	}
	res, err := trust.Verify(ctx, strings.TrimPrefix(ref, "registry:"), c.Policy, c.Options)
	if err != nil {
		return nil, err
	}
	return &image.SignatureVerdict{Verified: res.Verified(), Digest: res.Digest, Problem: res.Problem()}, nil
}

// checkUpdates sets the image's update verdict; an image that names no
// tag to check (neither repo:tag@digest nor base-image annotations) gets a
// warning rather than a silent pass.
func (r *Result) checkUpdates(ctx context.Context, img *image.Image, o ImageOptions) error {
	tag, used, subject, ok := freshness.Target(o.Ref, img)
	if !ok {
		r.addWarning(o.Ref, "--check-updates: nothing to compare: give the image as repo:tag@sha256:..., or build it with the "+
			"org.opencontainers.image.base.name (with a tag) and base.digest annotations")
		return nil
	}
	v, err := freshness.Check(ctx, tag, used, subject, *o.Updates)
	if err != nil {
		return err
	}
	img.Update = v
	return nil
}

// readImage resolves ref and runs the streaming pass.
func readImage(ctx context.Context, ref string, oo imageread.OpenOptions, so imageread.ScanOptions) (*image.Image, error) {
	src, err := imageread.Open(ctx, ref, oo)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return imageread.Scan(ctx, src, so)
}

// addImageVulns matches the image's packages and adds the findings, through
// the pipeline, after the image rules' findings; the catalogue's notes
// become warnings and the not-assessed summary.
func (r *Result) addImageVulns(img *image.Image, o ImageOptions) error {
	vf, warn, err := ImageVulns(img, o.DB, o.Vuln)
	if err != nil {
		return err
	}
	r.Findings = append(r.Findings, vulnPipeline(o).run(vf)...)
	for _, w := range warn {
		r.addWarning(o.Ref, w)
	}
	r.NotAssessed = NotAssessed(warn)
	return nil
}

// addSBOMVulns matches the packages of an SBOM document.
func (r *Result) addSBOMVulns(path string, o ImageOptions) error {
	vf, warn, err := SBOMVulns(path, o.DB, o.Vuln)
	if err != nil {
		return err
	}
	r.Findings = vulnPipeline(o).run(vf)
	for _, w := range warn {
		r.addWarning(o.Ref, w)
	}
	r.NotAssessed = NotAssessed(warn)
	return nil
}

// vulnPipeline is the pipeline for vulnerability findings: they carry no
// pragmas, and are kept after the image rules' findings rather than mixed
// with them, so that a report reads configuration, layers, then
// vulnerabilities.
func vulnPipeline(o ImageOptions) pipeline {
	return pipeline{reg: o.Rules, cfg: o.Config, now: o.Now}
}

// imageSource maps the history instructions of the findings to the lines
// of the Dockerfile that built the image.
func imageSource(path string, df *dockerfile.File, findings []rule.Finding) *report.ImageSource {
	lines := ImageDockerfileLines(df)
	src := &report.ImageSource{Dockerfile: path, Lines: map[string]int{"": lines[""]}}
	for _, f := range findings {
		if f.Image != nil && f.Image.Instruction != "" {
			if n, ok := lines[NormalizeInstruction(f.Image.Instruction)]; ok {
				src.Lines[f.Image.Instruction] = n
			}
		}
	}
	return src
}

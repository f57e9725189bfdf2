package harden

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/engine"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
)

// Scanners are the image scanners the plan and the verification run: every
// one but vuln, whose findings harden does not change (it keeps the package
// databases as they are).
var Scanners = map[string]bool{"config": true, "secret": true, "files": true, "bloat": true}

// RunOptions configure one harden run.
type RunOptions struct {
	// Ref is the image as the user named it (any imageread.Open source).
	Ref     string
	Open    imageread.OpenOptions
	NoCache bool
	Plan    Options
	Rules   *rule.Registry
	Config  *config.Config
	Now     time.Time
	// Version is shipshape's version, for the labels and the SBOM.
	Version string
	// TempDir is where layers are spooled; empty means os.TempDir().
	TempDir  string
	Progress func(msg string)
}

// Session is one image being hardened: the source stays open from the plan
// to the build.
type Session struct {
	Source imageread.Source
	// Before is the model of the original image, Findings its image
	// findings (Scanners), Plan what Build will change.
	Before   *image.Image
	Findings []rule.Finding
	Plan     *Plan
	o        RunOptions
}

// Start opens the image, scans it once (image rules and SBOM catalogers
// share the pass) and plans the changes. The caller closes the session.
func Start(ctx context.Context, o RunOptions) (*Session, error) {
	if o.Config == nil {
		o.Config = config.Default()
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	src, err := imageread.Open(ctx, o.Ref, o.Open)
	if err != nil {
		return nil, err
	}
	so := sbom.ScanOptions(engine.ImageScanOptions(o.Rules, o.Config, Scanners))
	so.NoCache = o.NoCache
	before, err := imageread.Scan(ctx, src, so)
	if err != nil {
		src.Close()
		return nil, err
	}
	plan, err := MakePlan(before, withConfigAllow(o))
	if err != nil {
		src.Close()
		return nil, err
	}
	s := &Session{Source: src, Before: before, Plan: plan, o: o}
	s.Findings = unsuppressed(engine.ScanImage(ctx, before, o.Rules, o.Config, Scanners, o.Now))
	return s, nil
}

// withConfigAllow adds IM1200's allow setting from the configuration to
// --allow: a setuid file the configuration accepts is not a finding, so
// harden keeps its bits too.
func withConfigAllow(o RunOptions) Options {
	p := o.Plan
	if r, ok := o.Rules.Get("IM1200"); ok {
		p.Allow = append(append([]string(nil), p.Allow...), o.Config.Settings(r).Strings("allow")...)
	}
	return p
}

// Close releases the source.
func (s *Session) Close() error { return s.Source.Close() }

// Build applies the plan and returns the hardened image, with its SBOM.
func (s *Session) Build(ctx context.Context) (*Built, error) {
	doc, err := s.sbom()
	if err != nil {
		return nil, fmt.Errorf("sbom: %w", err)
	}
	return Build(ctx, s.Source, s.Before, s.Plan, BuildOptions{
		Version: s.o.Version, From: s.o.Ref, SBOM: doc, TempDir: s.o.TempDir, Progress: s.o.Progress,
	})
}

// sbom catalogues the original image, leaves out the packages whose only
// evidence the plan removes (an executable deleted with --remove-shells),
// and encodes it as CycloneDX JSON. Packages read from a package database
// stay: the database is kept, and scanners reading it will report them.
func (s *Session) sbom() ([]byte, error) {
	doc := sbom.FromImage(s.Before)
	removed := map[string]bool{}
	for _, c := range s.Plan.Changes {
		switch c.Kind {
		case RemoveShell, RemovePackageManager, RemoveCache:
			removed[c.Path] = true
		}
	}
	kept := doc.Packages[:0]
	for _, p := range doc.Packages {
		if !removed[p.Location] {
			kept = append(kept, p)
		}
	}
	doc.Packages = kept
	var buf bytes.Buffer
	if err := encode.Write(&buf, encode.CycloneDXJSON, doc, encode.Options{ToolVersion: s.o.Version, Created: s.Before.Config.Created}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Verify scans the hardened image with the same rules and compares.
func (s *Session) Verify(ctx context.Context, b *Built) (*Verification, error) {
	src := imageread.FromV1(s.o.Ref+" (hardened)", "hardened", b.Image)
	so := engine.ImageScanOptions(s.o.Rules, s.o.Config, Scanners)
	so.NoCache = true
	after, err := imageread.Scan(ctx, src, so)
	if err != nil {
		return nil, fmt.Errorf("scan the hardened image: %w", err)
	}
	af := unsuppressed(engine.ScanImage(ctx, after, s.o.Rules, s.o.Config, Scanners, s.o.Now))
	return Compare(s.Plan, s.Findings, af), nil
}

func unsuppressed(fs []rule.Finding) []rule.Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Suppression == nil {
			out = append(out, f)
		}
	}
	return out
}

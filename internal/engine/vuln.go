package engine

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/sbom/encode"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// VulnOptions are the vulnerability scan's noise controls.
type VulnOptions struct {
	// IgnoreUnfixed drops results without a fixed version.
	IgnoreUnfixed bool
	// VEX, when set, marks results its statements declare not affected.
	VEX *vuln.VEX
}

// match runs the matcher with the VEX hook (the product is the image
// reference or SBOM path) and drops unfixed results when asked.
func (o VulnOptions) match(s *sbom.SBOM, db *vuln.DB, product string) ([]vuln.Result, error) {
	var opts vuln.Options
	if o.VEX != nil {
		opts.NotAffected = o.VEX.NotAffected(product)
	}
	res, err := vuln.Match(s.Packages, s.Distro, db, opts)
	if err != nil {
		return nil, err
	}
	if o.IgnoreUnfixed {
		res = vuln.DropUnfixed(res)
	}
	return res, nil
}

// ImageVulns catalogues the scanned image and matches its packages. What
// could not be assessed comes back as warnings, so that an image is never
// reported as clean in silence: the catalogue's notes (no package database
// found) and the packages the database cannot judge (no distribution
// identified, or a release or ecosystem it holds no advisories for).
func ImageVulns(img *image.Image, db *vuln.DB, o VulnOptions) ([]rule.Finding, []string, error) {
	s := sbom.FromImage(img)
	res, err := o.match(s, db, img.Ref)
	if err != nil {
		return nil, nil, err
	}
	gaps, err := gapsOf(s, db)
	if err != nil {
		return nil, nil, err
	}
	return vuln.Findings(res, img.Ref), unassessedNotes(s, gaps), nil
}

// gapsOf lists the packages of s that db cannot assess.
func gapsOf(s *sbom.SBOM, db *vuln.DB) ([]vuln.Gap, error) {
	ecos, err := db.Ecosystems()
	if err != nil {
		return nil, fmt.Errorf("list advisory ecosystems: %w", err)
	}
	held := make(map[string]bool, len(ecos))
	for _, e := range ecos {
		held[e] = true
	}
	return vuln.Gaps(s.Packages, s.Distro, func(e string) bool { return held[e] }), nil
}

// SBOMVulns reads an SBOM document (CycloneDX JSON/XML, SPDX JSON,
// shipshape JSON) and matches its packages; findings are located at the
// document.
func SBOMVulns(path string, db *vuln.DB, o VulnOptions) ([]rule.Finding, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	s, err := encode.Decode(f)
	if err != nil {
		return nil, nil, fmt.Errorf("read SBOM: %w", err)
	}
	res, err := o.match(s, db, path)
	if err != nil {
		return nil, nil, err
	}
	if len(s.Packages) == 0 {
		return vuln.SBOMFindings(res, path), []string{notAssessedPrefix + "the SBOM lists no packages" + notAssessedSuffix}, nil
	}
	gaps, err := gapsOf(s, db)
	if err != nil {
		return nil, nil, err
	}
	// An SBOM's own notes are not the catalogue's; only the gaps apply.
	return vuln.SBOMFindings(res, path), unassessedNotes(&sbom.SBOM{}, gaps), nil
}

// The warnings unassessedNotes writes read notAssessedPrefix + reason +
// notAssessedSuffix; NotAssessed reads the reasons back.
const (
	notAssessedPrefix = "vulnerabilities not assessed: "
	notAssessedSuffix = " (--fail-on-unknown to fail)"
)

// NotAssessed sums up ImageVulns' warnings for the report's summary: every
// reason, or the one that covers them all (no package database).
func NotAssessed(notes []string) string {
	var reasons []string
	for _, n := range notes {
		r, ok := strings.CutPrefix(n, notAssessedPrefix)
		if !ok {
			continue
		}
		r = strings.TrimSuffix(r, notAssessedSuffix)
		switch r {
		case sbom.NoteNoPackages:
			return notAssessedPrefix + "no package database found"
		case sbom.NoteNoOSDatabase:
			r = "no OS package database found"
		}
		reasons = append(reasons, r)
	}
	switch {
	case len(reasons) == 0:
		return ""
	case len(reasons) == 1 && slices.Contains(notes, notAssessedPrefix+sbom.NoteNoOSDatabase+notAssessedSuffix):
		return "OS package vulnerabilities not assessed: no OS package database found"
	}
	return notAssessedPrefix + strings.Join(reasons, "; ")
}

// unassessedNotes turns the catalogue's notes and the gaps into warnings
// that say plainly that vulnerabilities were not assessed, and why, rather
// than letting an empty result read as "no vulnerabilities".
func unassessedNotes(s *sbom.SBOM, gaps []vuln.Gap) []string {
	var out []string
	for _, n := range s.Notes {
		out = append(out, notAssessedPrefix+n+notAssessedSuffix)
	}
	for _, g := range gaps {
		out = append(out, notAssessedPrefix+g.String()+notAssessedSuffix)
	}
	return out
}

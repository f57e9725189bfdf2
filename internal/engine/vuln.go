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

// ImageVulns catalogues the scanned image and matches its packages. The
// catalogue's notes (no package database found) come back as warnings,
// so that an image without one is never reported as clean in silence.
func ImageVulns(img *image.Image, db *vuln.DB, o VulnOptions) ([]rule.Finding, []string, error) {
	s := sbom.FromImage(img)
	res, err := o.match(s, db, img.Ref)
	if err != nil {
		return nil, nil, err
	}
	return vuln.Findings(res, img.Ref), unassessedNotes(s), nil
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
	var notes []string
	if len(s.Packages) == 0 {
		notes = append(notes, "the SBOM lists no packages: vulnerabilities could not be assessed")
	}
	return vuln.SBOMFindings(res, path), notes, nil
}

// NotAssessed sums up the catalogue's notes for the report's summary.
func NotAssessed(notes []string) string {
	switch {
	case len(notes) == 0:
		return ""
	case slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, sbom.NoteNoPackages) }):
		return "vulnerabilities not assessed: no package database found"
	}
	return "OS package vulnerabilities not assessed: no OS package database found"
}

// unassessedNotes turns the catalogue's notes into warnings that say
// plainly that vulnerabilities were not assessed, rather than letting an
// empty result read as "no vulnerabilities".
func unassessedNotes(s *sbom.SBOM) []string {
	var out []string
	for _, n := range s.Notes {
		out = append(out, "vulnerabilities not assessed: "+n+" (--fail-on-unknown to fail)")
	}
	return out
}

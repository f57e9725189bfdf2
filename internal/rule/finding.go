package rule

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/shipshape-sec/shipshape/internal/loc"
)

// Finding is one reported problem, before output formatting.
type Finding struct {
	RuleID   string
	Severity Severity
	Message  string
	// Fix is a one-line remedy; it defaults to the rule's Fix.
	Fix   string
	File  string
	Range loc.Range
	// Suppression is set when an ignore pragma or config entry covers the
	// finding; suppressed findings are kept for SARIF and JSON.
	Suppression *Suppression
	// Snippet is the source line the finding points at, when known.
	Snippet string
	// Package and Aliases identify a vulnerability finding (the affected
	// package and the advisory's other IDs) for ignore entries.
	Package string
	Aliases []string
	// SourcePackage is the distribution source package a binary package
	// was built from (openssl for libssl3), so that an ignore entry's
	// package can name either.
	SourcePackage string
	// Advisory carries what output formats show about a vulnerability
	// finding's advisory (its SARIF rule entry); nil for rule findings.
	Advisory *AdvisoryMeta
	// Image locates a finding inside an image (CONTRACT.md: image, layer
	// digest, layer index, history instruction, path); nil otherwise.
	Image *ImageLocation
}

// AdvisoryMeta describes the advisory behind a vulnerability finding:
// vulnerabilities are not registry rules, so the finding carries what the
// SARIF rules table and the text output need.
type AdvisoryMeta struct {
	Summary string
	// HelpURI is the advisory's first reference, else its osv.dev page.
	HelpURI string
	// Score is the CVSS base score, 0 when unknown.
	Score float64
	// PackageName and PackageVersion are the affected package as installed.
	PackageName    string
	PackageVersion string
	// FixState is "fixed", "not-fixed", "wont-fix" or "not-affected".
	FixState     string
	FixedVersion string
}

// ImageLocation is where in an image a finding is.
type ImageLocation struct {
	Image       string `json:"image"`
	LayerDigest string `json:"layerDigest,omitempty"`
	LayerIndex  int    `json:"layerIndex"`
	Instruction string `json:"instruction,omitempty"`
	Path        string `json:"path,omitempty"`
}

// Suppression records why a finding is not counted.
type Suppression struct {
	// Kind is "inline", "file", "config", or the foreign tool whose pragma
	// matched (hadolint, trivy, checkov, buildkit).
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
	Line          int    `json:"line,omitempty"`
}

// Fingerprint is stable across runs and unaffected by line shifts elsewhere
// in the file: it hashes the rule, the file and the source text.
//
// An image finding hashes the path inside the image instead of the file
// (the image reference changes with every tag), with Snippet, when a rule
// sets one, as the stable identity of a summary whose message carries
// changing figures.
func (f Finding) Fingerprint() string {
	h := sha256.New()
	h.Write([]byte(f.RuleID))
	h.Write([]byte{0})
	if f.Image != nil {
		h.Write([]byte("image:" + f.Image.Path))
		h.Write([]byte{0})
		if f.Snippet != "" {
			h.Write([]byte(f.Snippet))
		} else {
			h.Write([]byte(f.Message))
		}
		return hex.EncodeToString(h.Sum(nil))[:32]
	}
	h.Write([]byte(f.File))
	h.Write([]byte{0})
	if f.Snippet != "" {
		h.Write([]byte(f.Snippet))
	} else {
		h.Write([]byte(f.Message))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Sort orders findings by file, line, column, rule.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Range.Line, b.Range.Line),
			cmp.Compare(a.Range.Col, b.Range.Col), cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Message, b.Message))
	})
}

// Dedupe drops findings identical in rule, file, position and message.
func Dedupe(fs []Finding) []Finding {
	type key struct {
		id, file, msg string
		line, col     int
	}
	seen := map[key]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := key{f.RuleID, f.File, f.Message, f.Range.Line, f.Range.Col}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

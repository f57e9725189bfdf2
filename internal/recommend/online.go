package recommend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/sbom"
	"github.com/shipshape-sec/shipshape/internal/vuln"
)

// Options say how Compare reaches registries and what it counts with.
type Options struct {
	// Name and Remote are the registry options (package remoteopt).
	Name   []name.Option
	Remote []remote.Option
	// Platform picks the image of a multi-platform index.
	Platform v1.Platform
	// Mirrors redirect registries (see Mirrors).
	Mirrors Mirrors
	// DB is the offline vulnerability database; nil leaves
	// vulnerabilities uncounted (Facts.Vulnerabilities is nil).
	DB *vuln.DB
	// Scan are the options images are read with (cache, limits).
	Scan imageread.ScanOptions
	// UnknownAs is the level a vulnerability without severity data ranks
	// as (unknown-severity in .shipshape.yaml); zero means high, since
	// silence is not safety.
	UnknownAs rule.Severity
}

func (o Options) unknownAs() rule.Severity {
	if o.UnknownAs == 0 || o.UnknownAs == rule.Unknown {
		return rule.High
	}
	return o.UnknownAs
}

// gating counts what gates at high or above: critical, high, and unknown
// severity unless the configuration ranks it lower.
func (o Options) gating(c *Counts) int {
	n := c.Critical + c.High
	if o.unknownAs().Rank() >= rule.High.Rank() {
		n += c.Unknown
	}
	return n
}

// Facts are what the registry says about one image.
type Facts struct {
	// Ref is where the image was read from (after mirrors), Digest the
	// manifest of the chosen platform.
	Ref    string `json:"ref"`
	Digest string `json:"digest"`
	// Packages counts every catalogued package (OS and language).
	Packages int `json:"packages"`
	// Vulnerabilities counts advisory-package pairs by severity; nil when
	// no database was given.
	Vulnerabilities *Counts `json:"vulnerabilities"`
	// NotAssessed says which packages the database cannot judge, so that
	// a low count is not read as safety.
	NotAssessed string `json:"notAssessed,omitempty"`
	// Size is the compressed size: the config and every layer as the
	// manifest states them, what a pull downloads.
	Size int64 `json:"size"`

	found map[string]rule.Severity
}

// Counts are vulnerabilities by severity.
type Counts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Unknown  int `json:"unknown"`
	Total    int `json:"total"`
}

func (c *Counts) add(s rule.Severity) {
	switch s {
	case rule.Critical:
		c.Critical++
	case rule.High:
		c.High++
	case rule.Medium:
		c.Medium++
	case rule.Low, rule.Info:
		c.Low++
	default:
		c.Unknown++
	}
	c.Total++
}

// Compare looks the image in use and every candidate up in the registry
// and fills in their facts, which candidates are recommended and the best
// one. A candidate the registry does not hold is kept, marked not found.
// Any other registry failure is an error: an unreachable registry must
// not read as "nothing better exists". Nothing is looked up for an image
// of no known family.
func Compare(ctx context.Context, rec *Recommendation, o Options) error {
	if len(rec.Candidates) == 0 {
		return nil
	}
	ref := rec.Target.Ref
	cur, found, err := o.facts(ctx, ref)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s: the image in use is not in the registry (%s)", ref, cur.Ref)
	}
	rec.Current = cur
	recommended := 0
	for i := range rec.Candidates {
		c := &rec.Candidates[i]
		f, found, err := o.facts(ctx, c.Ref)
		if err != nil {
			return err
		}
		c.Found = &found
		if !found {
			c.Recommended, c.Problem = false, "not in the registry ("+f.Ref+")"
			continue
		}
		c.Facts = f
		c.Recommended = true
		if cur.Vulnerabilities != nil {
			fixes, adds, worst := diff(cur.found, f.found)
			raise := worst
			if raise == rule.Unknown {
				raise = o.unknownAs()
			}
			c.Fixes, c.Adds = &fixes, &adds
			if more := o.gating(f.Vulnerabilities) - o.gating(cur.Vulnerabilities); more > 0 {
				c.Recommended = false
				c.Problem = fmt.Sprintf("has %d more critical, high or unknown-severity vulnerabilities than the image in use", more)
			} else if raise.Rank() > c.Severity.Rank() {
				c.Severity = raise
				c.Reasons = append(c.Reasons, fmt.Sprintf("fixes %d vulnerabilities of the image in use, the most severe %s", fixes, worst))
			}
		}
		if c.Recommended {
			recommended++
		}
	}
	if recommended == 0 {
		rec.Note = "the image in use is already the best choice: no candidate in the registry is better"
		return nil
	}
	best := -1
	for i, c := range rec.Candidates {
		if c.Recommended && (best < 0 || o.better(c.Facts, rec.Candidates[best].Facts)) {
			best = i
		}
	}
	rec.Candidates[best].Best = true
	return nil
}

// better orders candidates: fewer critical, high and unknown-severity
// vulnerabilities, then fewer vulnerabilities, then a smaller download.
func (o Options) better(a, b *Facts) bool {
	if a.Vulnerabilities != nil && b.Vulnerabilities != nil {
		if x, y := o.gating(a.Vulnerabilities), o.gating(b.Vulnerabilities); x != y {
			return x < y
		}
		if x, y := a.Vulnerabilities.Total, b.Vulnerabilities.Total; x != y {
			return x < y
		}
	}
	return a.Size < b.Size
}

// diff counts the vulnerabilities of cur that cand does not have (fixed)
// and the other way (added), and the most severe one fixed (unknown ranks
// as high, and a known critical or high before it).
func diff(cur, cand map[string]rule.Severity) (fixes, adds int, worst rule.Severity) {
	for k, s := range cur {
		if _, ok := cand[k]; ok {
			continue
		}
		fixes++
		if s.Rank() > worst.Rank() || s.Rank() == worst.Rank() && worst == rule.Unknown {
			worst = s
		}
	}
	for k := range cand {
		if _, ok := cur[k]; !ok {
			adds++
		}
	}
	return fixes, adds, worst
}

// facts reads one image from its registry (or mirror) as a stream of
// layers and catalogues it; found is false when the registry says the
// repository or tag does not exist.
func (o Options) facts(ctx context.Context, ref string) (*Facts, bool, error) {
	resolved, err := o.Mirrors.Resolve(ref)
	if err != nil {
		return nil, false, err
	}
	f := &Facts{Ref: resolved}
	nref, err := name.ParseReference(resolved, o.Name...)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", resolved, err)
	}
	ropts := append(append([]remote.Option(nil), o.Remote...), remote.WithContext(ctx), remote.WithPlatform(o.Platform))
	desc, err := remote.Get(nref, ropts...)
	if err != nil {
		if notFound(err) {
			return f, false, nil
		}
		return nil, false, fmt.Errorf("%s: registry: %w", resolved, err)
	}
	img, err := desc.Image()
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", resolved, err)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, false, fmt.Errorf("%s: manifest: %w", resolved, err)
	}
	f.Size = m.Config.Size
	for _, l := range m.Layers {
		f.Size += l.Size
	}
	d, err := img.Digest()
	if err != nil {
		return nil, false, fmt.Errorf("%s: digest: %w", resolved, err)
	}
	f.Digest = d.String()
	src := imageread.FromV1(resolved, "registry", img)
	defer src.Close()
	scanned, err := imageread.Scan(ctx, src, sbom.ScanOptions(o.Scan))
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", resolved, err)
	}
	s := sbom.FromImage(scanned)
	f.Packages = len(s.Packages)
	if o.DB == nil {
		return f, true, nil
	}
	res, err := vuln.Match(s.Packages, s.Distro, o.DB, vuln.Options{})
	if err != nil {
		return nil, false, fmt.Errorf("%s: match vulnerabilities: %w", resolved, err)
	}
	f.Vulnerabilities = &Counts{}
	f.found = map[string]rule.Severity{}
	for _, r := range res {
		k := r.ID + "|" + r.Package.Name
		if _, dup := f.found[k]; dup {
			continue
		}
		sev := r.Severity
		if sev == 0 {
			sev = rule.Unknown
		}
		f.found[k] = sev
		f.Vulnerabilities.add(sev)
	}
	ecos, err := o.DB.Ecosystems()
	if err != nil {
		return nil, false, fmt.Errorf("list advisory ecosystems: %w", err)
	}
	held := map[string]bool{}
	for _, e := range ecos {
		held[e] = true
	}
	var gaps []string
	for _, g := range vuln.Gaps(s.Packages, s.Distro, func(e string) bool { return held[e] }) {
		gaps = append(gaps, g.String())
	}
	if len(s.Packages) == 0 {
		gaps = append(gaps, "no package database found")
	}
	sort.Strings(gaps)
	if len(gaps) > 0 {
		f.NotAssessed = strings.Join(gaps, "; ")
	}
	return f, true, nil
}

// notFound reports whether a registry error says the repository or the
// manifest does not exist (rather than that it could not be reached or
// refused the credentials).
func notFound(err error) bool {
	var terr *transport.Error
	if !errors.As(err, &terr) {
		return false
	}
	if terr.StatusCode == http.StatusNotFound {
		return true
	}
	for _, d := range terr.Errors {
		if d.Code == transport.ManifestUnknownErrorCode || d.Code == transport.NameUnknownErrorCode {
			return true
		}
	}
	return false
}

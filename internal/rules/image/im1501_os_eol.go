package image

import (
	"github.com/shipshape-sec/shipshape/internal/eol"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1501 reports an image whose distribution release is past its end of
// life, by the end-of-life table shared with DF1204.
var IM1501 = &rule.Rule{
	ID:       "IM1501",
	Slug:     "os-end-of-life",
	Title:    "Operating system release is past its end of life",
	Severity: rule.High,
	Category: rule.CatBaseImage,
	Rationale: "After its end of life a distribution release gets no security updates: every vulnerability found from then " +
		"on stays open in the image, and scanners stop reporting some of them because the distribution no longer " +
		"publishes advisories for it.",
	Fix:   "Rebuild on a supported release of the distribution (for example debian:12 instead of debian:10) and test the upgrade.",
	Bad:   "FROM debian:10\nCOPY app /app",
	Good:  "FROM debian:12\nCOPY app /app",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.4"}},
	References: []string{
		"https://endoflife.date/",
		"https://wiki.debian.org/DebianReleases",
	},
	Settings: []rule.Setting{{Name: "eol-data", Type: "strings", Default: []string{}, Doc: "extra end-of-life files (endoflife.date JSON, relative to the config file) merged over the embedded table"}},
	Check:    checkOSEOL,
}

func checkOSEOL(p *rule.Pass) error {
	o, ok := imageOf(p).Distro()
	if !ok {
		return nil
	}
	t := eol.Default()
	for _, f := range p.Settings.Strings("eol-data") {
		extra, err := eol.Load(f)
		if err != nil {
			return err
		}
		t = t.Merge(extra)
	}
	c, ok := t.Lookup(o.ID, eolCycle(o))
	if !ok && o.Codename != "" {
		c, ok = t.Lookup(o.ID, o.Codename)
	}
	if !ok || !c.PastEOL(p.Now) {
		return nil
	}
	when := "is past its end of life"
	if !c.EOL.IsZero() {
		when = "reached its end of life on " + c.EOL.Format("2006-01-02")
	}
	reportFile(p, layerOf(imageOf(p), o.Source), o.Source, "%s %s and gets no security updates", c.String(), when)
	return nil
}

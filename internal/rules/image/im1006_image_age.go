package image

import (
	"time"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1006 reports an image built longer ago than max-age-days. Images with
// a reproducible-build timestamp (before 1980, typically the Unix epoch)
// carry no build date and are skipped.
var IM1006 = &rule.Rule{
	ID:       "IM1006",
	Slug:     "image-too-old",
	Title:    "Image was built too long ago",
	Severity: rule.Low,
	Category: rule.CatBaseImage,
	Rationale: "Security fixes reach an image only when it is rebuilt. An image built a year ago carries a year of fixed " +
		"vulnerabilities in its base and packages even when its tag still looks current (CIS 4.4: rebuild images to " +
		"include patches).",
	Fix:   "Rebuild the image regularly (a scheduled CI build), pulling the base image afresh (`docker build --pull`).",
	Bad:   "# an image built in 2022 and never rebuilt",
	Good:  "# the same image rebuilt weekly with docker build --pull",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.4"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often",
	},
	Settings: []rule.Setting{{Name: "max-age-days", Type: "int", Default: 365, Doc: "report images created more than this many days ago"}},
	Check:    checkImageAge,
}

func checkImageAge(p *rule.Pass) error {
	c := imageOf(p).Config.Created
	if c.IsZero() || c.Year() < 1980 {
		return nil
	}
	maxDays := p.Settings.Int("max-age-days")
	if maxDays <= 0 {
		return nil
	}
	days := int(p.Now.Sub(c) / (24 * time.Hour))
	if days > maxDays {
		reportConfig(p, "", "the image was created %s, %d days ago (limit %d)", c.UTC().Format("2006-01-02"), days, maxDays)
	}
	return nil
}

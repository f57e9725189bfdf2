package dockerfile

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/eol"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// DF1204 reports base images whose distribution or language runtime no
// longer receives security fixes (debian:buster, node:16, python:3.7,
// golang:1.19-alpine3.16), judged by the dated table in package eol
// against the pass's clock.
var DF1204 = &rule.Rule{
	ID:       "DF1204",
	Slug:     "eol-base",
	Title:    "Base image release is past end of life",
	Severity: rule.High,
	Category: rule.CatBaseImage,
	Rationale: "Once a release reaches end of life its maintainers stop publishing security fixes: new vulnerabilities in the " +
		"distribution's packages or in the runtime stay open forever, and scanners may not even report them. " +
		"For build stages the unfixed compiler or standard library ends up inside the binaries you ship.",
	Fix: "Move to a supported release of the same image, such as `node:22-bookworm-slim` instead of `node:18-bullseye`. " +
		"Check https://endoflife.date for the current support windows, and rebuild regularly so the base keeps receiving fixes.",
	Bad:  "FROM python:3.8-slim-buster",
	Good: "FROM python:3.13-slim-bookworm",
	Settings: []rule.Setting{{Name: "eol-data", Type: "strings", Default: []string{},
		Doc: "JSON files that extend or override the embedded end-of-life table, in the shape of the endoflife.date API: " +
			"an object of product to cycles (`{\"debian\": [{\"cycle\": \"12\", \"codename\": \"bookworm\", \"eol\": \"2028-06-30\"}]}`) " +
			"or a bare array saved from https://endoflife.date/api/<product>.json, named after the product (debian.json, nodejs.json). " +
			"Products: debian, ubuntu, alpine, nodejs, python, go. `eol` is the first unsupported day, or true/false. " +
			"Paths are absolute or relative to the current directory. " +
			"The embedded table is dated by its asOf field (internal/eol/data.json); releases it does not list are never reported."}},
	Peers: []rule.Peer{},
	References: []string{
		"https://endoflife.date/",
		"https://wiki.debian.org/LTS",
		"https://nodejs.org/en/about/previous-releases",
		"https://devguide.python.org/versions/",
		"https://go.dev/doc/devel/release#policy",
	},
	Check: checkEOLBase,
}

func checkEOLBase(p *rule.Pass) error {
	table := eol.Default()
	for _, path := range p.Settings.Strings("eol-data") {
		extra, err := eol.Load(path)
		if err != nil {
			return fmt.Errorf("eol-data: %w", err)
		}
		table = table.Merge(extra)
	}
	f := fileOf(p)
	for _, st := range f.Stages {
		b, ok := st.Image()
		if !ok || b.Official == "" || b.Tag == "" {
			continue
		}
		var ended, products []string
		var cycles []eol.Cycle
		for _, c := range table.Image(b.Official, b.Tag) {
			if c.PastEOL(p.Now) {
				cycles = append(cycles, c)
				when := "is past end of life"
				if !c.EOL.IsZero() {
					when = "reached end of life on " + c.EOL.Format("2006-01-02")
				}
				ended = append(ended, c.String()+" "+when)
				products = append(products, c.Product)
			}
		}
		if len(ended) > 0 {
			p.Report(rule.Finding{
				Message:  fmt.Sprintf("base image %q: %s", b.Ref, strings.Join(ended, "; ")),
				Remedy:   eolRemedy(b.Official, b.Tag, products),
				Location: rule.Location{Range: st.BaseRange()},
				Fixes:    eolUpgradeFix(st, b, table, p.Now, cycles),
			})
		}
	}
	return nil
}

// eolProductNames name the products of the end-of-life table for remedies.
var eolProductNames = map[string]string{"debian": "Debian", "ubuntu": "Ubuntu", "alpine": "Alpine", "nodejs": "Node.js", "python": "Python", "go": "Go"}

// eolRemedy is DF1204's remedy for one image: a supported release of the
// products that ended, in a tag of the same image that keeps its variant
// (an Alpine image is not told to move to Debian), and where to look the
// releases up.
func eolRemedy(image, tag string, products []string) string {
	var names []string
	for _, pr := range products {
		n := eolProductNames[pr]
		if n == "" {
			n = pr
		}
		names = append(names, n)
	}
	variant := ""
	for _, v := range []string{"alpine", "slim", "windowsservercore", "nanoserver"} {
		if strings.Contains(tag, v) && image != v {
			variant = ", keeping its " + v + " variant"
			break
		}
	}
	return "Move to a tag of " + image + " on a supported " + strings.Join(names, " and a supported ") + " release" + variant +
		" (https://endoflife.date/" + products[0] + " lists them), and rebuild regularly so the base keeps receiving fixes."
}

package context

import (
	"cmp"
	"slices"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// CX1201 reports a build context whose total size exceeds a threshold.
var CX1201 = &rule.Rule{
	ID:       "CX1201",
	Slug:     "context-too-large",
	Title:    "Build context is larger than the configured limit",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "The whole context is transferred to the builder before the first instruction runs, and with a remote " +
		"builder or in CI that transfer happens on every build. A context of hundreds of megabytes usually means " +
		"that data sets, archives, caches or other projects' files are sent along, which slows every build and " +
		"risks copying them into the image.",
	Fix: "Exclude what the build does not read in .dockerignore; the largest entries are named in the finding. " +
		"Raise `max-context-size-mib` for this rule when a large context is intended.",
	Bad:  "# context: 2 GiB of data/ and models/ next to the Dockerfile\nFROM python:3.13-slim\nCOPY . .",
	Good: "# .dockerignore: data/, models/\nFROM python:3.13-slim\nCOPY . .",
	Settings: []rule.Setting{
		{Name: "max-context-size-mib", Type: "int", Default: 100, Doc: "largest context (MiB) sent without a finding"},
	},
	References: []string{docsContext, "https://docs.docker.com/build/concepts/context/"},
	Check:      checkContextTooLarge,
}

func checkContextTooLarge(p *rule.Pass) error {
	c := contextOf(p)
	if c == nil {
		return nil
	}
	max := int64(p.Settings.Int("max-context-size-mib")) << 20
	if c.TotalSize <= max && !c.Truncated {
		return nil
	}
	// Name the largest top-level entries, where an exclusion helps most.
	type entry struct {
		name string
		size int64
	}
	var top []entry
	for _, d := range c.Dirs {
		if !strings.Contains(d.Path, "/") {
			top = append(top, entry{d.Path + "/", d.Size})
		}
	}
	for _, f := range c.Files {
		if !strings.Contains(f.Path, "/") {
			top = append(top, entry{f.Path, f.Size})
		}
	}
	slices.SortFunc(top, func(a, b entry) int { return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.name, b.name)) })
	var names []string
	for i, e := range top {
		if i == 3 {
			break
		}
		names = append(names, e.name+" "+humanSize(e.size))
	}
	largest := ""
	if len(names) > 0 {
		largest = "; largest: " + strings.Join(names, ", ")
	}
	if c.Truncated {
		p.ReportAt(anchor(p), loc.Line(1), "the build context has more than %d files and %s (the walk stopped counting)%s",
			c.TotalFiles, humanSize(c.TotalSize), largest)
		return nil
	}
	p.ReportAt(anchor(p), loc.Line(1), "the build context sends %s in %s, more than %d MiB%s",
		humanSize(c.TotalSize), plural(c.TotalFiles, "file"), max>>20, largest)
	return nil
}

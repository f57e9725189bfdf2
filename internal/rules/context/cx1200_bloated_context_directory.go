package context

import (
	"path"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/buildctx"
	"github.com/shipshape-sec/shipshape/internal/loc"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// bloatDirs are directory names that hold dependencies, caches or build
// output. ambiguousDirs among them are also common names for source or
// deliberate inputs, so they are not reported when the Dockerfile copies
// them by name.
var (
	bloatDirs = map[string]bool{
		"node_modules": true, ".venv": true, "venv": true, "target": true, "build": true, "dist": true,
		".gradle": true, "__pycache__": true, ".terraform": true, "coverage": true, ".next": true,
		".nuxt": true, ".pytest_cache": true, ".mypy_cache": true, ".tox": true, "bower_components": true,
		".parcel-cache": true, ".cache": true,
	}
	ambiguousDirs = map[string]bool{"target": true, "build": true, "dist": true, "coverage": true, ".cache": true}
)

// CX1200 reports dependency, cache and build-output directories that the
// context sends.
var CX1200 = &rule.Rule{
	ID:       "CX1200",
	Slug:     "bloated-context-directory",
	Title:    "Dependency or build-output directory sent with the context",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "Directories such as node_modules, .venv, target/ or __pycache__ are rebuilt inside the image anyway. " +
		"Sending them makes every build upload megabytes to gigabytes before the first step runs, and a `COPY . .` " +
		"then overwrites the dependencies installed in the image with ones built for the host's platform, which " +
		"breaks native modules and defeats the layer cache.",
	Fix: "Add the directory to .dockerignore (`node_modules`, `**/__pycache__`, `.venv`, `target`). If the build " +
		"really needs a prebuilt output, COPY it by name, which keeps it out of this report.",
	Bad:  "# .dockerignore is missing node_modules\nFROM node:22-alpine\nCOPY . .\nRUN npm ci",
	Good: "# .dockerignore: node_modules\nFROM node:22-alpine\nCOPY package*.json ./\nRUN npm ci\nCOPY . .",
	Settings: []rule.Setting{
		{Name: "min-size-kib", Type: "int", Default: 1024, Doc: "report a directory only when what it sends reaches this size (KiB)"},
		{Name: "names", Type: "strings", Doc: "extra directory names to treat as bloat (added to the built-in list)"},
	},
	References: []string{docsContext, "https://docs.docker.com/build/building/best-practices/#exclude-with-dockerignore"},
	Check:      checkBloatedDirs,
}

func checkBloatedDirs(p *rule.Pass) error {
	c := contextOf(p)
	if c == nil {
		return nil
	}
	min := int64(p.Settings.Int("min-size-kib")) << 10
	extra := map[string]bool{}
	for _, n := range p.Settings.Strings("names") {
		extra[n] = true
	}
	copies := contextCopies(contextOf(p).Dockerfile)
	var reported []buildctx.Dir
	for _, d := range c.Dirs {
		name := path.Base(d.Path)
		if !bloatDirs[name] && !extra[name] {
			continue
		}
		if d.Size < min || underAny(d.Path, reported) {
			continue
		}
		if ambiguousDirs[name] && copiedByName(copies, d.Path) {
			continue
		}
		reported = append(reported, d)
		p.ReportAt(c.DisplayPath(d.Path), loc.Line(1), "%s/ (%s, %s) is sent with the build context; exclude it in %s",
			d.Path, plural(d.Files, "file"), humanSize(d.Size), ignoreName(c))
	}
	return nil
}

// copiedByName reports whether a COPY names dir, or a path below it, as a
// source (without wildcards in the part that names dir).
func copiedByName(copies []contextCopy, dir string) bool {
	for _, cc := range copies {
		for _, s := range cc.Sources {
			src := buildctx.Clean(s)
			if src == dir || strings.HasPrefix(src, dir+"/") {
				return true
			}
			if hasWildcard(src) && sourceSelects(src, dir) {
				return true
			}
		}
	}
	return false
}

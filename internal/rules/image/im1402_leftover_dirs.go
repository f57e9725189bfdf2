package image

import (
	"path"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1402 reports directories that belong on a developer's machine, not in
// an image: version-control metadata, cloud and SSH credentials, caches.
var IM1402 = &rule.Rule{
	ID:       "IM1402",
	Slug:     "leftover-sensitive-directory",
	Title:    "Credential or VCS directory left in the image",
	Severity: rule.Medium,
	Category: rule.CatSecrets,
	Rationale: "A .git directory ships the project's full history (including files and secrets deleted long ago) and its " +
		"remote URLs; .aws and .ssh hold credentials and keys; .cache holds whatever tools downloaded. They usually arrive " +
		"through `COPY . .` without a .dockerignore.",
	Levels: []rule.Level{
		{Severity: rule.High, When: "for .aws and .ssh, which hold credentials and keys"},
		{Severity: rule.Low, When: "for .cache, which holds what tools downloaded"},
	},
	Fix:   "Exclude them in .dockerignore (`.git`, `**/.aws`, `**/.ssh`, `**/.cache`) and copy only what the image needs.",
	Bad:   "FROM node:22\nCOPY . /app",
	Good:  "# .dockerignore: .git, .aws, .ssh, .cache\nFROM node:22\nCOPY . /app",
	Peers: []rule.Peer{{Tool: "dockle", ID: "DKL-LI-0003"}},
	References: []string{
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-li-0003",
		"https://docs.docker.com/build/concepts/context/#dockerignore-files",
	},
	Check: checkLeftoverDirs,
}

// leftoverDirs maps a directory name to what it holds; credentials raise
// the severity.
var leftoverDirs = map[string]struct {
	what string
	sev  rule.Severity
}{
	".git":   {"version-control history", rule.Medium},
	".aws":   {"AWS credentials and configuration", rule.High},
	".ssh":   {"SSH keys and known hosts", rule.High},
	".cache": {"a tool cache", rule.Low},
}

func checkLeftoverDirs(p *rule.Pass) error {
	im := imageOf(p)
	type hit struct {
		layer int
		files int
	}
	hits := map[string]*hit{}
	for f := range im.Files() {
		fp := f.Path
		// Every name in leftoverDirs starts with a dot.
		if !strings.Contains(fp, "/.") {
			continue
		}
		// The components of fp in order, without splitting it: this runs
		// on every file of the final view.
		for start := 1; start <= len(fp); {
			end := strings.IndexByte(fp[start:], '/')
			last := end < 0
			if last {
				end = len(fp)
			} else {
				end += start
			}
			if _, ok := leftoverDirs[fp[start:end]]; !ok || last && !f.Mode.IsDir() {
				start = end + 1
				continue
			}
			dir := fp[:end]
			h := hits[dir]
			if h == nil {
				h = &hit{layer: f.Layer}
				hits[dir] = h
			}
			if !last {
				h.files++
				h.layer = min(h.layer, f.Layer)
			}
			break
		}
	}
	dirs := make([]string, 0, len(hits))
	for d := range hits {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		h := hits[d]
		if h.files == 0 {
			continue // an empty directory holds nothing
		}
		ld := leftoverDirs[path.Base(d)]
		reportFileSev(p, ld.sev, h.layer, d, "%s holds %s (%d files)", d, ld.what, h.files)
	}
	return nil
}

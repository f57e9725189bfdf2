package image

import (
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1300 reports package-manager caches left in the final image.
var IM1300 = &rule.Rule{
	ID:       "IM1300",
	Slug:     "package-cache-left",
	Title:    "Package manager cache left in the image",
	Severity: rule.Low,
	Category: rule.CatLean,
	Rationale: "Package indexes and download caches (apt lists, apk, pip, npm, yarn, Go build caches) are only useful while " +
		"installing. Left in a layer they add megabytes to every pull and, for apt lists, stale metadata that makes later " +
		"`apt-get install` calls without an update install outdated versions.",
	Fix: "Clean up in the same RUN that installs (`rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `pip install --no-cache-dir`, `npm ci && npm cache clean --force`), " +
		"or use a cache mount (`RUN --mount=type=cache,target=/root/.cache/pip`).",
	Bad:   "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
	Good:  "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
	Peers: []rule.Peer{{Tool: "dockle", ID: "DKL-DI-0005"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#apt-get",
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#dkl-di-0005",
	},
	Settings: []rule.Setting{{Name: "min-bytes", Type: "int", Default: 4096, Doc: "report a cache only when its files add up to at least this many bytes"}},
	Check:    checkPackageCache,
}

// cacheKinds maps a path pattern to the cache it belongs to. A pattern
// ending in / is a directory prefix; one starting with / is anchored at
// the root, otherwise it may occur in any home directory.
var cacheKinds = []struct{ pattern, name string }{
	{"/var/lib/apt/lists/", "apt package lists"},
	{"/var/cache/apt/", "apt package cache"},
	{"/var/cache/apk/", "apk cache"},
	{"/var/cache/yum/", "yum cache"},
	{"/var/cache/dnf/", "dnf cache"},
	{"/var/cache/zypp/", "zypper cache"},
	{"/usr/local/share/.cache/yarn/", "yarn cache"},
	{"/.cache/yarn/", "yarn cache"},
	{"/.cache/pip/", "pip cache"},
	{"/.npm/_cacache/", "npm cache"},
	{"/.cache/go-build/", "Go build cache"},
	{"/go/pkg/mod/cache/", "Go module download cache"},
	{"/.cache/pnpm/", "pnpm cache"},
	{"/.gradle/caches/", "Gradle cache"},
	{"/.m2/repository/", "Maven repository cache"},
}

// cacheOf returns the cache a path belongs to and the cache's directory.
func cacheOf(p string) (name, dir string, ok bool) {
	if !mayBeCache(p) {
		return "", "", false
	}
	for _, k := range cacheKinds {
		if strings.HasPrefix(k.pattern, "/var/") || strings.HasPrefix(k.pattern, "/usr/") {
			if strings.HasPrefix(p, k.pattern) {
				return k.name, strings.TrimSuffix(k.pattern, "/"), true
			}
			continue
		}
		if i := strings.Index(p, k.pattern); i >= 0 {
			return k.name, p[:i+len(k.pattern)-1], true
		}
	}
	return "", "", false
}

// mayBeCache is false for a path no pattern of cacheKinds can match:
// each holds "/." or "/go/pkg/mod/cache/" or starts with /var/, so most
// files of an image are ruled out by three searches instead of fifteen.
func mayBeCache(p string) bool {
	return strings.HasPrefix(p, "/var/") || strings.Contains(p, "/.") || strings.Contains(p, "/go/pkg/mod/cache/")
}

func checkPackageCache(p *rule.Pass) error {
	type cache struct {
		name, dir    string
		bytes        int64
		files, layer int
		layerBytes   map[int]int64
	}
	caches := map[string]*cache{}
	for f := range imageOf(p).Files() {
		path := f.Path
		if !f.Mode.IsRegular() {
			continue
		}
		name, dir, ok := cacheOf(path)
		if !ok {
			continue
		}
		c := caches[dir]
		if c == nil {
			c = &cache{name: name, dir: dir, layerBytes: map[int]int64{}}
			caches[dir] = c
		}
		c.bytes += f.Size
		c.files++
		c.layerBytes[f.Layer] += f.Size
	}
	minBytes := int64(p.Settings.Int("min-bytes"))
	dirs := make([]string, 0, len(caches))
	for d := range caches {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		c := caches[d]
		if c.bytes < minBytes || c.bytes == 0 {
			continue
		}
		// The layer that added most of the cache is the one to fix.
		best, bestBytes := -1, int64(-1)
		for l, b := range c.layerBytes {
			if b > bestBytes || b == bestBytes && l < best {
				best, bestBytes = l, b
			}
		}
		reportFile(p, best, c.dir, "%s left in %s: %s in %d files", c.name, c.dir, human(c.bytes), c.files)
	}
	return nil
}

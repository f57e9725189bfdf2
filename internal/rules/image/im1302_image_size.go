package image

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1302 summarises the image's size and its largest files and
// directories, and gates on max-size.
var IM1302 = &rule.Rule{
	ID:       "IM1302",
	Slug:     "image-size",
	Title:    "Image size and its largest files",
	Severity: rule.Info,
	Category: rule.CatLean,
	Rationale: "Image size is paid on every pull, every node and every cold start, and every file is something to patch. " +
		"Knowing where the bytes are (a forgotten SDK, test data, documentation) is the first step to a lean image; " +
		"max-size turns the size into a gate.",
	Levels: []rule.Level{{Severity: rule.Medium, When: "when the image is larger than max-size"}},
	Fix:    "Start from a slim or distroless base, build in a separate stage, and keep documentation, tests and caches out of the final stage.",
	Bad:    "FROM node:22\nCOPY . /app",
	Good:   "FROM node:22 AS build\nCOPY . /app\nRUN npm ci --omit=dev\nFROM gcr.io/distroless/nodejs22-debian12\nCOPY --from=build /app /app",
	Peers:  []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.3"}},
	References: []string{
		"https://docs.docker.com/build/building/best-practices/#dont-install-unnecessary-packages",
		"https://github.com/wagoodman/dive",
	},
	Settings: []rule.Setting{
		{Name: "max-size", Type: "int", Default: 0, Doc: "fail (severity medium) when the uncompressed image is larger than this many bytes; 0 is no gate"},
		{Name: "largest", Type: "int", Default: 3, Doc: "how many of the largest files and directories to name"},
	},
	Check: checkImageSize,
}

func checkImageSize(p *rule.Pass) error {
	im := imageOf(p)
	if len(im.Layers) == 0 {
		return nil
	}
	var total int64
	for _, l := range im.Layers {
		total += l.Size
	}
	n := p.Settings.Int("largest")
	type item struct {
		path  string
		bytes int64
		layer int
	}
	less := func(a, b item) bool {
		if a.bytes != b.bytes {
			return a.bytes > b.bytes
		}
		return a.path < b.path
	}
	// files keeps only the largest max(n, 1) files, in order: the final
	// view may hold hundreds of thousands.
	keep := max(n, 1)
	var files []item
	dirs := map[string]int64{}
	for f := range im.Files() {
		fp := f.Path
		if !f.Mode.IsRegular() {
			continue
		}
		if it := (item{fp, f.Size, f.Layer}); len(files) < keep || less(it, files[len(files)-1]) {
			i := sort.Search(len(files), func(i int) bool { return less(it, files[i]) })
			if len(files) < keep {
				files = append(files, item{})
			}
			copy(files[i+1:], files[i:len(files)-1])
			files[i] = it
		}
		// Directories are counted at most three levels deep
		// (/usr/lib/x86_64-linux-gnu), which names the culprit without
		// listing every parent.
		if d := topDir(fp); d != "" {
			dirs[d] += f.Size
		}
	}
	var ds []item
	for d, b := range dirs {
		ds = append(ds, item{path: d, bytes: b})
	}
	sort.Slice(ds, func(i, j int) bool { return less(ds[i], ds[j]) })
	list := func(items []item) string {
		var s []string
		for i, it := range items {
			if i == n {
				break
			}
			s = append(s, fmt.Sprintf("%s (%s)", it.path, human(it.bytes)))
		}
		return strings.Join(s, ", ")
	}
	msg := fmt.Sprintf("the image is %s uncompressed in %d layers", human(total), len(im.Layers))
	if n > 0 && len(files) > 0 {
		msg += "; largest files: " + list(files) + "; largest directories: " + list(ds)
	}
	f := rule.Finding{Message: msg, Snippet: "image size", Location: rule.Location{File: im.Ref, Image: &rule.ImageLocation{Image: im.Ref, LayerIndex: configLayer}}}
	if len(files) > 0 {
		f.Image = locate(im, files[0].layer, "")
	}
	if limit := int64(p.Settings.Int("max-size")); limit > 0 && total > limit {
		f.Severity = rule.Medium
		f.Message += fmt.Sprintf(" (over max-size %s)", human(limit))
	}
	p.Report(f)
	return nil
}

// topDir returns the directory of the clean absolute path p cut to its
// first three levels ("/usr/lib/x86_64-linux-gnu" for a file anywhere
// below it), or "" for a file in the root. It slices p, where path.Dir
// in a loop made a new string per level for every file of the image.
func topDir(p string) string {
	d := p[:strings.LastIndexByte(p, '/')]
	slashes := 0
	for i := 0; i < len(d); i++ {
		if d[i] == '/' {
			if slashes++; slashes == 4 {
				return d[:i]
			}
		}
	}
	return d
}

package image

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1301 reports reclaimable bytes: copies of files that a later layer
// overwrote or deleted. The surviving copy is not waste (dive counts it
// too, which overstates the waste of every changed file).
var IM1301 = &rule.Rule{
	ID:       "IM1301",
	Slug:     "reclaimable-bytes",
	Title:    "Layers carry bytes that later layers delete or overwrite",
	Severity: rule.Info,
	Category: rule.CatLean,
	Rationale: "A file written in one layer and deleted or rewritten in a later one still ships in the earlier layer: every " +
		"pull downloads it and every node stores it. Efficiency (1 - reclaimable / all file bytes of all layers) measures " +
		"how much of what is shipped the final file system actually uses.",
	Levels: []rule.Level{{Severity: rule.Medium, When: "when the image misses a gate set with min-efficiency or max-wasted-bytes"}},
	Fix:    "Create, use and delete temporary files in the same RUN, change permissions with COPY --chmod/--chown instead of a later RUN chmod, and build in a separate stage.",
	Bad:    "FROM debian:12\nCOPY big.tar /tmp/\nRUN tar -xf /tmp/big.tar -C /opt\nRUN rm /tmp/big.tar",
	Good:   "FROM debian:12\nRUN --mount=type=bind,source=big.tar,target=/tmp/big.tar tar -xf /tmp/big.tar -C /opt",
	References: []string{
		"https://github.com/wagoodman/dive#ci-integration",
		"https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers",
	},
	Settings: []rule.Setting{
		{Name: "min-efficiency", Type: "int", Doc: "fail (severity medium) below this efficiency: a fraction such as 0.95, or a percentage such as 95; unset or 0 is no gate"},
		{Name: "max-wasted-bytes", Type: "int", Default: 0, Doc: "fail (severity medium) when reclaimable bytes exceed this; 0 is no gate"},
	},
	Check: checkWastedBytes,
}

// Waste summarises reclaimable bytes of an image.
type Waste struct {
	// Reclaimable is the size of every shadowed copy; Total the size of
	// every file entry of every layer.
	Reclaimable, Total int64
	// ByPath is reclaimable bytes per path, largest first.
	ByPath []PathBytes
}

// PathBytes is a path with a byte count and the layer of its largest part.
type PathBytes struct {
	Path  string
	Bytes int64
	Layer int
}

// Efficiency is 1 - Reclaimable/Total (1 for an empty image).
func (w Waste) Efficiency() float64 {
	if w.Total == 0 {
		return 1
	}
	return 1 - float64(w.Reclaimable)/float64(w.Total)
}

// ComputeWaste adds up shadowed entries.
func ComputeWaste(im *image.Image) Waste {
	var w Waste
	by := map[string]*PathBytes{}
	for _, e := range im.Entries() {
		if e.Whiteout || !e.Mode.IsRegular() {
			continue
		}
		w.Total += e.Size
		if !e.Shadowed || e.Size == 0 {
			continue
		}
		w.Reclaimable += e.Size
		pb := by[e.Path]
		if pb == nil {
			pb = &PathBytes{Path: e.Path, Layer: e.Layer}
			by[e.Path] = pb
		}
		pb.Bytes += e.Size
	}
	for _, pb := range by {
		w.ByPath = append(w.ByPath, *pb)
	}
	sort.Slice(w.ByPath, func(i, j int) bool {
		if w.ByPath[i].Bytes != w.ByPath[j].Bytes {
			return w.ByPath[i].Bytes > w.ByPath[j].Bytes
		}
		return w.ByPath[i].Path < w.ByPath[j].Path
	})
	return w
}

// parseFraction reads min-efficiency: 0.95 or 95 both mean 95%.
func parseFraction(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || f <= 0 {
		return 0
	}
	if f > 1 {
		f /= 100
	}
	return f
}

func checkWastedBytes(p *rule.Pass) error {
	w := ComputeWaste(imageOf(p))
	minEff := parseFraction(p.Settings.String("min-efficiency"))
	maxWaste := int64(p.Settings.Int("max-wasted-bytes"))
	var gates []string
	if minEff > 0 && w.Efficiency() < minEff {
		gates = append(gates, fmt.Sprintf("below min-efficiency %.1f%%", minEff*100))
	}
	if maxWaste > 0 && w.Reclaimable > maxWaste {
		gates = append(gates, "over max-wasted-bytes "+human(maxWaste))
	}
	if w.Reclaimable == 0 && len(gates) == 0 {
		return nil
	}
	var top []string
	for i, pb := range w.ByPath {
		if i == 3 {
			break
		}
		top = append(top, fmt.Sprintf("%s (%s)", pb.Path, human(pb.Bytes)))
	}
	msg := fmt.Sprintf("%s reclaimable of %s in layers, efficiency %.1f%%", human(w.Reclaimable), human(w.Total), w.Efficiency()*100)
	if len(top) > 0 {
		msg += "; largest: " + strings.Join(top, ", ")
	}
	f := rule.Finding{Message: msg, Snippet: "reclaimable bytes", Location: rule.Location{File: imageOf(p).Ref}}
	if len(w.ByPath) > 0 {
		f.Image = locate(imageOf(p), w.ByPath[0].Layer, w.ByPath[0].Path)
	} else {
		f.Image = &rule.ImageLocation{Image: imageOf(p).Ref, LayerIndex: configLayer}
	}
	if len(gates) > 0 {
		f.Severity = rule.Medium
		f.Message += " (" + strings.Join(gates, ", ") + ")"
	}
	p.Report(f)
	return nil
}

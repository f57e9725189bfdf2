package engine

import (
	"context"
	"strings"
	"time"

	"github.com/shipshape-sec/shipshape/internal/cachekey"
	"github.com/shipshape-sec/shipshape/internal/config"
	"github.com/shipshape-sec/shipshape/internal/dockerfile"
	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// ImageScanners are the scanner names of `shipshape image --scanners`
// (docs/contract.md).
var ImageScanners = []string{"config", "secret", "files", "bloat", "vuln"}

// imageScannerOf says which scanner an image rule belongs to.
func imageScannerOf(id string) string {
	switch {
	case id == "IM1002" || strings.HasPrefix(id, "IM11"):
		return "secret"
	case strings.HasPrefix(id, "IM10"):
		return "config"
	case strings.HasPrefix(id, "IM13"):
		return "bloat"
	}
	return "files"
}

// ImageScanOptions returns the streaming-pass options the enabled image
// rules need: the secret scanner (bounded by IM1100's max-file-size) when
// the secret scanner is selected, and the captured files. scanners nil
// means all. The cache key is derived from what the capture set and the
// scanner declare (image.DefaultCaptureKey, secrets.Scanner.CacheKey).
func ImageScanOptions(reg *rule.Registry, cfg *config.Config, scanners map[string]bool) imageread.ScanOptions {
	if cfg == nil {
		cfg = config.Default()
	}
	opts := imageread.ScanOptions{Capture: image.DefaultCapture, CacheKey: image.DefaultCaptureKey()}
	if r, ok := reg.Get("IM1100"); ok && cfg.Enabled(r) && (scanners == nil || scanners["secret"]) {
		s := secrets.New(int64(cfg.Settings(r).Int("max-file-size")))
		opts.Scanners = append(opts.Scanners, s)
		opts.CacheKey = cachekey.Join(opts.CacheKey, s.CacheKey())
	}
	return opts
}

// ScanImage runs every enabled image rule (IM) of the selected scanners
// (nil: all) over one scanned image and returns its findings through the
// pipeline (images carry no pragmas: severities overridden, ignore entries
// applied, duplicates removed, sorted by layer and path).
func ScanImage(ctx context.Context, img *image.Image, reg *rule.Registry, cfg *config.Config, scanners map[string]bool, now time.Time) []rule.Finding {
	if cfg == nil {
		cfg = config.Default()
	}
	// A signature verdict is reported whichever scanners were chosen: it
	// was asked for explicitly (--require-signature).
	keep := func(r *rule.Rule) bool {
		return scanners == nil || scanners[imageScannerOf(r.ID)] || r.ID == "IM1008" && img.Signature != nil || r.ID == "IM1009" && img.Update != nil
	}
	all := runRulesConcurrently(ctx, reg, cfg, now, "image", keep, func(p *rule.Pass) { p.Input = img })
	for i := range all {
		if all[i].File == "" {
			all[i].File = img.Ref
		}
		if all[i].Image == nil {
			all[i].Image = &rule.ImageLocation{Image: img.Ref, LayerIndex: -1}
		}
	}
	out := pipeline{reg: reg, cfg: cfg, now: now}.run(all)
	fingerprint(out)
	return out
}

// ImageDockerfileLines maps the history instructions of an image to the
// lines of the Dockerfile that built it, for attaching image findings to
// source lines in SARIF. It matches the final stage's instructions (and
// those of the stages it is based on) against the history entries by
// keyword and normalised text. The "" key holds the final stage's FROM
// line, where configuration findings without an instruction go.
func ImageDockerfileLines(f *dockerfile.File) map[string]int {
	out := map[string]int{}
	if f == nil || f.Target == nil {
		return out
	}
	var chain []*dockerfile.Stage
	seen := map[*dockerfile.Stage]bool{}
	for s := f.Target; s != nil && !seen[s]; s = s.BaseStage {
		seen[s] = true
		chain = append(chain, s)
	}
	// Base stages first, so that the final stage's lines win on equal text.
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			out[NormalizeInstruction(in.Original)] = in.Range.Line
		}
	}
	if f.Target.From != nil {
		out[""] = f.Target.From.Range.Line
	}
	return out
}

// NormalizeInstruction reduces a Dockerfile instruction or an image history
// entry to a comparable form: keyword upper-cased, BuildKit's `# buildkit`
// suffix, the legacy builder's `/bin/sh -c #(nop)` prefix and build-arg
// prefix (`|2 A=1 B=2 /bin/sh -c`) removed, RUN's `/bin/sh -c` removed,
// whitespace collapsed.
func NormalizeInstruction(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "# buildkit"))
	if i := strings.Index(s, "#(nop)"); i >= 0 {
		s = strings.TrimSpace(s[i+len("#(nop)"):])
	}
	if strings.HasPrefix(s, "|") {
		// |N k=v ... /bin/sh -c cmd
		if i := strings.Index(s, "/bin/sh -c "); i >= 0 {
			s = "RUN " + s[i:]
		}
	}
	if strings.HasPrefix(s, "/bin/sh -c ") {
		s = "RUN " + s
	}
	kw, rest, _ := strings.Cut(s, " ")
	kw = strings.ToUpper(kw)
	rest = strings.TrimSpace(rest)
	if kw == "RUN" {
		rest = strings.TrimSpace(strings.TrimPrefix(rest, "/bin/sh -c "))
	}
	return kw + " " + strings.Join(strings.Fields(rest), " ")
}

package image

import (
	"archive/tar"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"github.com/shipshape-sec/shipshape/internal/secrets"
)

// configLayer is the LayerIndex of a finding about the image configuration
// rather than a file of some layer.
const configLayer = -1

// instructionOf returns the history instruction that produced a layer.
func instructionOf(im *image.Image, layer int) string {
	if layer >= 0 && layer < len(im.Layers) && im.Layers[layer].CreatedBy != "" {
		return cleanInstruction(im.Layers[layer].CreatedBy)
	}
	for _, h := range im.History {
		if h.Layer == layer && layer >= 0 {
			return cleanInstruction(h.CreatedBy)
		}
	}
	return ""
}

// cleanInstruction strips the builder's decorations from a history entry
// (the legacy builder's `/bin/sh -c #(nop) ` prefix, BuildKit's
// ` # buildkit` suffix) and masks any credential in it: every finding
// shows its instruction, and a secret written in a RUN must not be printed
// in clear by the report that warns about it.
func cleanInstruction(s string) string {
	return secrets.Redact(rawInstruction(s))
}

// rawInstruction is cleanInstruction without the masking, for the rules
// that look for credentials in it.
func rawInstruction(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "# buildkit")
	if i := strings.Index(s, "#(nop)"); i >= 0 {
		s = s[i+len("#(nop)"):]
	}
	return strings.TrimSpace(s)
}

// locate builds a finding location for a path in a layer (configLayer for
// the configuration).
func locate(im *image.Image, layer int, p string) *rule.ImageLocation {
	l := &rule.ImageLocation{Image: im.Ref, LayerIndex: layer, Path: p}
	if layer >= 0 && layer < len(im.Layers) {
		l.LayerDigest = im.Layers[layer].Digest
		if l.LayerDigest == "" {
			l.LayerDigest = im.Layers[layer].DiffID
		}
	}
	l.Instruction = instructionOf(im, layer)
	return l
}

// reportFile records a finding about a path of a layer.
func reportFile(p *rule.Pass, layer int, file string, format string, args ...any) {
	p.Report(rule.Finding{Message: fmt.Sprintf(format, args...), Location: rule.Location{File: imageOf(p).Ref, Image: locate(imageOf(p), layer, file)}})
}

// reportFileSev is reportFile with a severity for this instance.
func reportFileSev(p *rule.Pass, sev rule.Severity, layer int, file string, format string, args ...any) {
	p.Report(rule.Finding{Severity: sev, Message: fmt.Sprintf(format, args...), Location: rule.Location{File: imageOf(p).Ref, Image: locate(imageOf(p), layer, file)}})
}

// reportConfig records a finding about the configuration; instruction is
// the history entry that set the value, when one is known.
func reportConfig(p *rule.Pass, instruction string, format string, args ...any) {
	l := &rule.ImageLocation{Image: imageOf(p).Ref, LayerIndex: configLayer, Instruction: instruction}
	p.Report(rule.Finding{Message: fmt.Sprintf(format, args...), Location: rule.Location{File: imageOf(p).Ref, Image: l}})
}

// lastHistory returns the last history entry whose instruction satisfies
// match, cleaned, or "".
func lastHistory(im *image.Image, match func(string) bool) string {
	for i := len(im.History) - 1; i >= 0; i-- {
		c := cleanInstruction(im.History[i].CreatedBy)
		if match(c) {
			return c
		}
	}
	return ""
}

// keyword returns the upper-case instruction keyword of a cleaned history
// entry ("RUN", "ADD", "USER"...), treating a bare shell command (the legacy
// builder's RUN) as RUN.
func keyword(c string) string {
	w, _, _ := strings.Cut(c, " ")
	switch u := strings.ToUpper(w); u {
	case "RUN", "ADD", "COPY", "USER", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "CMD", "ENTRYPOINT", "WORKDIR", "ARG", "VOLUME", "SHELL", "STOPSIGNAL", "ONBUILD", "MAINTAINER":
		return u
	}
	if strings.HasPrefix(c, "/bin/sh -c") || strings.HasPrefix(c, "|") || strings.HasPrefix(c, "cmd /S /C") {
		return "RUN"
	}
	return ""
}

// file returns the final-view file at p after following symlinks (at most
// image.MaxSymlinkHops), or nil.
func file(im *image.Image, p string) *image.File {
	for range image.MaxSymlinkHops {
		f, _ := im.File(p)
		if f == nil || f.Typeflag != tar.TypeSymlink {
			return f
		}
		t := f.Linkname
		if !strings.HasPrefix(t, "/") {
			t = path.Join(path.Dir(p), t)
		}
		p = path.Clean(t)
	}
	return nil
}

// exists reports whether p resolves to a file of the final view.
func exists(im *image.Image, p string) bool { return file(im, p) != nil }

// human renders a byte count for messages.
func human(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

// sortedFilesWhere returns the files of the final view keep selects,
// ordered by path for stable output. Only the selected files are kept: the
// final view may hold hundreds of thousands.
func sortedFilesWhere(im *image.Image, keep func(*image.File) bool) []*image.File {
	var out []*image.File
	for f := range im.Files() {
		if keep(f) {
			c := *f // Files reuses f
			out = append(out, &c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

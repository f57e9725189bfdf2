package image

import (
	"fmt"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1100 reports credentials found in the files of any layer, including
// files a later layer deleted or replaced: the layer that holds them still
// ships, and anyone who pulls the image can extract it.
var IM1100 = &rule.Rule{
	ID:       "IM1100",
	Slug:     "secret-in-layer",
	Title:    "Credential in an image layer",
	Severity: rule.Critical,
	Category: rule.CatSecrets,
	Rationale: "Every layer of an image is shipped and can be unpacked on its own (`docker save`, `crane export`). A private " +
		"key, cloud credential or token copied into a layer has leaked to everyone with pull access, and deleting it in " +
		"a later RUN only hides it from the final file system: the bytes stay in the earlier layer.",
	Fix: "Rotate the credential, then keep it out of every layer: use build secrets (`RUN --mount=type=secret,id=...`), " +
		"a .dockerignore that excludes it from the context, or a multi-stage build that copies only the artefacts.",
	Bad:   "FROM node:22\nCOPY .npmrc /root/.npmrc\nRUN npm ci && rm /root/.npmrc",
	Good:  "FROM node:22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
	Peers: []rule.Peer{{Tool: "dockle", ID: "CIS-DI-0010"}, {Tool: "cis-docker-1.6.0", ID: "4.10"}},
	References: []string{
		"https://docs.docker.com/build/building/secrets/",
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0010",
	},
	Settings: []rule.Setting{
		{Name: "max-file-size", Type: "int", Default: 4 << 20, Doc: "bytes of each file the secret scanner reads; the rest of a larger file is not searched"},
		{Name: "ignore-paths", Type: "strings", Default: []string{}, Doc: "image paths (prefixes such as /usr/lib/python3/test/) whose secrets are not reported"},
	},
	Check: checkSecretInLayer,
}

// deleted reports whether the copy of a file in a layer is gone from the
// final view (deleted, or replaced by a later layer).
func deleted(im *image.Image, s image.Secret) bool {
	if s.Deleted {
		return true
	}
	f, _ := im.File(s.Path)
	return f == nil || f.Layer != s.Layer
}

func checkSecretInLayer(p *rule.Pass) error {
	ignore := p.Settings.Strings("ignore-paths")
	for _, s := range imageOf(p).Secrets {
		if hasAnyPrefix(s.Path, ignore) {
			continue
		}
		where := s.Path
		if s.Line > 0 {
			where = fmt.Sprintf("%s:%d", s.Path, s.Line)
		}
		msg := fmt.Sprintf("%s in %s (%s)", s.Kind, where, s.Match)
		if deleted(imageOf(p), s) {
			msg += fmt.Sprintf("; a later layer deleted or replaced the file, but layer %d still ships it", s.Layer)
		}
		l := locate(imageOf(p), s.Layer, s.Path)
		l.Line = s.Line
		p.Report(rule.Finding{Message: msg,
			Snippet: fmt.Sprintf("%s:%d", s.Kind, s.Line), Location: rule.Location{File: imageOf(p).Ref, Image: l}})
	}
	return nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, pre := range prefixes {
		if pre != "" && (s == pre || len(s) > len(pre) && s[:len(pre)] == pre) {
			return true
		}
	}
	return false
}

// Package freshness answers "is this image still what its tag names?": it
// asks the registry which digest a tag points at now, and when that is not
// the digest in use, how much newer the current image is and which OS
// packages it upgrades. It talks to registries (go-containerregistry
// through imageread); rules read its verdict from the image and never
// reach the network themselves.
package freshness

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/imageread"
	"github.com/shipshape-sec/shipshape/internal/sbom"
)

// Options say how to reach the registry.
type Options struct {
	// Open are the options images are read with (platform, insecure,
	// transport, keychain).
	Open imageread.OpenOptions
	// Remote and Name are the options of the tag lookup.
	Remote []remote.Option
	Name   []name.Option
}

// Target returns the tag to check for a scanned image and the digest in
// use: the reference itself when it names both a tag and a digest
// (repo:tag@sha256:...), else the base image its OCI annotations name
// (org.opencontainers.image.base.name with a tag, and base.digest). ok is
// false when the image says neither.
func Target(ref string, img *image.Image) (tag, used, subject string, ok bool) {
	r := strings.TrimPrefix(ref, "registry:")
	if at := strings.LastIndex(r, "@"); at > 0 {
		if t, err := name.NewTag(r[:at]); err == nil && strings.Contains(r[:at], ":"+t.TagStr()) {
			return t.String(), r[at+1:], "the image", true
		}
	}
	l := img.Config.Labels
	base, dig := l["org.opencontainers.image.base.name"], l["org.opencontainers.image.base.digest"]
	if base != "" && dig != "" {
		if t, err := name.NewTag(base); err == nil {
			return t.String(), dig, "the base image", true
		}
	}
	return "", "", "", false
}

// Check asks the registry where tag points now and compares that with
// used. An error means the registry could not answer about the tag; an
// old image that cannot be read any more only leaves the days and packages
// unknown (Note says so).
func Check(ctx context.Context, tag, used, subject string, o Options) (*image.UpdateVerdict, error) {
	t, err := name.NewTag(tag, o.Name...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tag, err)
	}
	desc, err := remote.Head(t, append([]remote.Option{remote.WithContext(ctx)}, o.Remote...)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tag, err)
	}
	v := &image.UpdateVerdict{Tag: tag, Subject: subject, Used: used, Current: desc.Digest.String(), DaysBehind: -1}
	if !v.Behind() {
		return v, nil
	}
	repo := t.Context().Name()
	cur, err := packagesOf(ctx, repo+"@"+v.Current, o.Open)
	if err != nil {
		return nil, fmt.Errorf("%s: the current image: %w", tag, err)
	}
	old, err := packagesOf(ctx, repo+"@"+used, o.Open)
	if err != nil {
		v.Note = "the image in use is no longer in the registry, so its age and packages cannot be compared"
		return v, nil
	}
	if !old.Created.IsZero() && !cur.Created.IsZero() {
		v.DaysBehind = int(math.Round(cur.Created.Sub(old.Created).Hours() / 24))
	}
	v.Upgraded = upgraded(old, cur)
	if old.Distro == nil || cur.Distro == nil {
		v.Note = "no OS package database in one of the images, so upgraded packages are not known"
	}
	return v, nil
}

// packagesOf reads an image by digest and catalogues it.
func packagesOf(ctx context.Context, ref string, oo imageread.OpenOptions) (*sbom.SBOM, error) {
	src, err := imageread.Open(ctx, "registry:"+ref, oo)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	opts := sbom.ScanOptions(imageread.ScanOptions{})
	img, err := imageread.Scan(ctx, src, opts)
	if err != nil {
		return nil, err
	}
	return sbom.FromImage(img), nil
}

// upgraded lists OS packages whose version changed between the images, in
// name order ("openssl 3.0.11-1 -> 3.0.13-1"), and packages added.
func upgraded(old, cur *sbom.SBOM) []string {
	was := map[string]string{}
	for _, p := range old.Packages {
		if isOS(p) {
			was[p.Name] = p.Version
		}
	}
	var out []string
	for _, p := range cur.Packages {
		if !isOS(p) {
			continue
		}
		if v, ok := was[p.Name]; ok && v != p.Version {
			out = append(out, fmt.Sprintf("%s %s -> %s", p.Name, v, p.Version))
		}
	}
	sort.Strings(out)
	return out
}

func isOS(p sbom.Package) bool {
	switch p.Cataloger {
	case "dpkg", "apk", "rpm":
		return true
	}
	return false
}

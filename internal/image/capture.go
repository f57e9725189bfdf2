package image

import (
	"slices"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/cachekey"
	"github.com/shipshape-sec/shipshape/internal/distro"
)

// captureFiles are the files DefaultCapture keeps: the release files the
// distribution is identified from (distro.Files, so that the two never
// disagree), accounts, and the package databases (the SBOM catalogers
// declare those again; an image scan without an SBOM keeps them too).
var captureFiles = append(distro.Files(),
	"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/sudoers",
	"/var/lib/dpkg/status", "/lib/apk/db/installed", "/usr/lib/apk/db/installed",
	"/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db", "/var/lib/rpm/rpmdb.sqlite",
	"/usr/lib/sysimage/rpm/Packages", "/usr/lib/sysimage/rpm/Packages.db", "/usr/lib/sysimage/rpm/rpmdb.sqlite",
)

// captureExact indexes captureFiles: DefaultCapture sees every entry of
// every layer.
var captureExact = func() map[string]bool {
	m := make(map[string]bool, len(captureFiles))
	for _, f := range captureFiles {
		m[f] = true
	}
	return m
}()

// captureDirs are directories whose direct files DefaultCapture keeps
// (distroless writes one dpkg status file per package).
var captureDirs = []string{"/var/lib/dpkg/status.d/"}

// DefaultCaptureMaxSize bounds one file DefaultCapture keeps.
const DefaultCaptureMaxSize = 64 << 20

// DefaultCaptureKey is DefaultCapture's part of the layer cache key,
// derived from the files, directories and size it selects, so that a layer
// cached before a file was added to them is read again.
func DefaultCaptureKey() string {
	return cachekey.Of("capture", struct {
		Files, Dirs []string
		MaxSize     int64
	}{slices.Sorted(slices.Values(captureFiles)), captureDirs, DefaultCaptureMaxSize})
}

// DefaultCapture selects the release files of distro.Files, passwd, group,
// shadow, gshadow, sudoers, and the dpkg, apk and rpm package databases, up
// to DefaultCaptureMaxSize each.
func DefaultCapture(path string, size int64) bool {
	if size > DefaultCaptureMaxSize {
		return false
	}
	if captureExact[path] {
		return true
	}
	for _, d := range captureDirs {
		if rest, ok := strings.CutPrefix(path, d); ok && rest != "" && !strings.Contains(rest, "/") {
			return true
		}
	}
	return false
}

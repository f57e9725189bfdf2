package image

import "strings"

// captureExact are the files DefaultCapture keeps: identity, accounts and
// package databases (the SBOM catalogers read the latter).
var captureExact = map[string]bool{
	"/etc/os-release":                    true,
	"/usr/lib/os-release":                true,
	"/etc/debian_version":                true,
	"/etc/alpine-release":                true,
	"/etc/redhat-release":                true,
	"/etc/system-release":                true,
	"/etc/lsb-release":                   true,
	"/etc/passwd":                        true,
	"/etc/group":                         true,
	"/etc/shadow":                        true,
	"/etc/gshadow":                       true,
	"/etc/sudoers":                       true,
	"/var/lib/dpkg/status":               true,
	"/lib/apk/db/installed":              true,
	"/usr/lib/apk/db/installed":          true,
	"/var/lib/rpm/Packages":              true,
	"/var/lib/rpm/Packages.db":           true,
	"/var/lib/rpm/rpmdb.sqlite":          true,
	"/usr/lib/sysimage/rpm/Packages":     true,
	"/usr/lib/sysimage/rpm/Packages.db":  true,
	"/usr/lib/sysimage/rpm/rpmdb.sqlite": true,
}

// captureDirs are directories whose direct files DefaultCapture keeps
// (distroless writes one dpkg status file per package).
var captureDirs = []string{"/var/lib/dpkg/status.d/"}

// DefaultCaptureMaxSize bounds one file DefaultCapture keeps.
const DefaultCaptureMaxSize = 64 << 20

// DefaultCapture selects os-release (both locations) and the other release
// files, passwd, group, shadow, gshadow, sudoers, and the dpkg, apk and rpm
// package databases, up to DefaultCaptureMaxSize each.
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

package image

import (
	"bufio"
	"bytes"
	"regexp"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
)

// OS is the distribution an image is built on, as its release files say.
type OS struct {
	// ID is os-release's ID (debian, alpine, ubuntu, rhel...); Version its
	// VERSION_ID; Codename VERSION_CODENAME; Name PRETTY_NAME.
	ID, Version, Codename, Name string
	// Source is the file the facts came from.
	Source string
}

// osReleaseFiles are read in order; os-release(5) says /etc/os-release
// takes precedence and /usr/lib/os-release is the fallback.
var osReleaseFiles = []string{"/etc/os-release", "/usr/lib/os-release"}

// IdentifyOS reads the image's distribution from os-release, falling back
// to the distribution-specific release files. A dangling /etc/os-release
// symlink (its target removed) falls through to the next file rather than
// losing the distribution.
func IdentifyOS(im *image.Image) (OS, bool) {
	for _, p := range osReleaseFiles {
		if data, ok := captured(im, p); ok {
			if o := parseOSRelease(data); o.ID != "" {
				o.Source = p
				return o, true
			}
		}
	}
	if data, ok := captured(im, "/etc/alpine-release"); ok {
		v := strings.TrimSpace(string(data))
		return OS{ID: "alpine", Version: v, Name: "Alpine Linux " + v, Source: "/etc/alpine-release"}, v != ""
	}
	if data, ok := captured(im, "/etc/debian_version"); ok {
		v := strings.TrimSpace(string(data))
		o := OS{ID: "debian", Version: v, Name: "Debian GNU/Linux " + v, Source: "/etc/debian_version"}
		// Testing and unstable write a codename ("trixie/sid").
		if c, _, ok := strings.Cut(v, "/"); ok {
			o.Version, o.Codename = "", c
		} else if v != "" && (v[0] < '0' || v[0] > '9') {
			o.Version, o.Codename = "", v
		}
		return o, v != ""
	}
	for _, p := range []string{"/etc/redhat-release", "/etc/system-release"} {
		if data, ok := captured(im, p); ok {
			return parseRedHatRelease(strings.TrimSpace(string(data)), p), true
		}
	}
	return OS{}, false
}

func parseOSRelease(data []byte) OS {
	var o OS
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "ID":
			o.ID = strings.ToLower(v)
		case "VERSION_ID":
			o.Version = v
		case "VERSION_CODENAME":
			o.Codename = strings.ToLower(v)
		case "PRETTY_NAME":
			o.Name = v
		}
	}
	if o.Name == "" {
		o.Name = strings.TrimSpace(o.ID + " " + o.Version)
	}
	return o
}

var reRelease = regexp.MustCompile(`^(.*?) release ([0-9][0-9.]*)`)

func parseRedHatRelease(s, src string) OS {
	o := OS{Name: s, Source: src, ID: "rhel"}
	if m := reRelease.FindStringSubmatch(s); m != nil {
		o.Version = m[2]
		switch l := strings.ToLower(m[1]); {
		case strings.Contains(l, "centos"):
			o.ID = "centos"
		case strings.Contains(l, "fedora"):
			o.ID = "fedora"
		case strings.Contains(l, "rocky"):
			o.ID = "rocky"
		case strings.Contains(l, "alma"):
			o.ID = "almalinux"
		case strings.Contains(l, "amazon"):
			o.ID = "amzn"
		}
	}
	return o
}

// cycle returns the release line the end-of-life table uses for this OS:
// Debian counts by major version, Alpine and Ubuntu by major.minor.
func (o OS) cycle() string {
	v := o.Version
	switch o.ID {
	case "debian":
		v, _, _ = strings.Cut(v, ".")
		if v == "" {
			return o.Codename
		}
	case "alpine":
		parts := strings.Split(v, ".")
		if len(parts) >= 2 {
			v = parts[0] + "." + parts[1]
		}
	}
	return v
}

// sourceFile returns the final-view path release facts came from.
func (o OS) sourceFile() string { return o.Source }

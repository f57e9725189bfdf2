package image

import (
	"io/fs"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1201 reports world-writable files and directories outside the
// temporary directories. Sticky directories (the /tmp pattern, where users
// cannot remove each other's files) are not reported.
var IM1201 = &rule.Rule{
	ID:       "IM1201",
	Slug:     "world-writable-path",
	Title:    "World-writable file or directory in the image",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "Any process in the container, whatever its user, can modify a world-writable file or replace the files of a " +
		"world-writable directory: a compromised helper process can rewrite the application's code or configuration, " +
		"and a non-root user gains write access that its permissions were meant to deny.",
	Fix:   "Give the path to the user that needs it (`COPY --chown=app:app`, `chown app` then `chmod 755`/`644`) instead of `chmod 777`.",
	Bad:   "FROM alpine:3.20\nRUN mkdir /data && chmod 777 /data",
	Good:  "FROM alpine:3.20\nRUN mkdir /data && chown 10001 /data\nUSER 10001",
	Peers: nil,
	References: []string{
		"https://wiki.debian.org/Permissions",
		"https://cwe.mitre.org/data/definitions/732.html",
	},
	Settings: []rule.Setting{{Name: "allow", Type: "strings", Default: []string{}, Doc: "path prefixes that may be world-writable"}},
	Check:    checkWorldWritable,
}

// maxWorldWritable caps the findings per image; the rest are summarised.
const maxWorldWritable = 50

var tempDirs = []string{"/tmp", "/var/tmp", "/dev", "/proc", "/sys", "/run/lock", "/dev/shm"}

func checkWorldWritable(p *rule.Pass) error {
	allow := append(p.Settings.Strings("allow"), tempDirs...)
	im := imageOf(p)
	n, extra := 0, 0
	writable := func(f *image.File) bool {
		if f.Mode&fs.ModeSymlink != 0 || f.Mode.Perm()&0o002 == 0 || !(f.Mode.IsRegular() || f.Mode.IsDir()) {
			return false
		}
		return !f.Mode.IsDir() || f.Mode&fs.ModeSticky == 0
	}
	for _, f := range sortedFilesWhere(im, writable) {
		path := f.Path
		if underAny(path, allow) {
			continue
		}
		if n >= maxWorldWritable {
			extra++
			continue
		}
		n++
		what := "file"
		if f.Mode.IsDir() {
			what = "directory"
		}
		reportFile(p, f.Layer, path, "%s %s is world-writable (mode %04o)", what, path, f.Mode.Perm())
	}
	if extra > 0 {
		reportConfig(p, "", "%d more world-writable paths are not listed", extra)
	}
	return nil
}

// underAny reports whether p is one of dirs or inside one.
func underAny(p string, dirs []string) bool {
	for _, d := range dirs {
		d = strings.TrimSuffix(d, "/")
		if d != "" && (p == d || strings.HasPrefix(p, d+"/")) {
			return true
		}
	}
	return false
}

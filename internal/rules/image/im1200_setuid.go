package image

import (
	"io/fs"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/image"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// IM1200 reports setuid and setgid files in the final view (CIS 4.8).
var IM1200 = &rule.Rule{
	ID:       "IM1200",
	Slug:     "setuid-setgid-file",
	Title:    "Setuid or setgid file in the image",
	Severity: rule.Medium,
	Category: rule.CatUser,
	Rationale: "A setuid or setgid binary runs with its owner's or group's privileges whatever user starts it. In a container " +
		"that runs as an unprivileged user, each setuid-root program (passwd, su, mount...) is a way back to root when it " +
		"has a bug. Most services need none of them.",
	Fix:   "Strip the bits in the final stage: `RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`, or list the files the image really needs in the `allow` setting.",
	Bad:   "FROM debian:12\nUSER app",
	Good:  "FROM debian:12\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +\nUSER app",
	Peers: []rule.Peer{{Tool: "dockle", ID: "CIS-DI-0008"}, {Tool: "cis-docker-1.6.0", ID: "4.8"}},
	References: []string{
		"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0008",
		"https://man7.org/linux/man-pages/man2/execve.2.html",
	},
	Settings: []rule.Setting{{Name: "allow", Type: "strings", Default: []string{}, Doc: "paths of setuid/setgid files the image may keep"}},
	Check:    checkSetuid,
}

func checkSetuid(p *rule.Pass) error {
	allow := map[string]bool{}
	for _, a := range p.Settings.Strings("allow") {
		allow[a] = true
	}
	im := imageOf(p)
	special := func(f *image.File) bool { return f.Mode.IsRegular() && f.Mode&(fs.ModeSetuid|fs.ModeSetgid) != 0 }
	for _, f := range sortedFilesWhere(im, special) {
		path := f.Path
		if allow[path] {
			continue
		}
		var bits []string
		if f.Mode&fs.ModeSetuid != 0 {
			bits = append(bits, "setuid "+owner(f.UID, "uid"))
		}
		if f.Mode&fs.ModeSetgid != 0 {
			bits = append(bits, "setgid "+owner(f.GID, "gid"))
		}
		reportFile(p, f.Layer, path, "%s is %s", path, strings.Join(bits, " and "))
	}
	return nil
}

func owner(id int, kind string) string {
	if id == 0 {
		return "root"
	}
	return kind + " " + itoa(id)
}

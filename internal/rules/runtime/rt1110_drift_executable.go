package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// binDirs are where executables live; a changed file there whose mode
// could not be read is still taken as an executable.
var binDirs = []string{"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/usr/libexec"}

// changedExecutable is a changed regular file with an execute bit, or any
// changed file in a bin directory when its mode is unknown. Setuid files
// are RT1111's.
func changedExecutable(c container.Change) bool {
	if c.ModeKnown {
		return c.Executable() && !c.SetID()
	}
	for _, d := range binDirs {
		if under(c.Path, d) && c.Path != d {
			return true
		}
	}
	return false
}

// RT1110 reports executables added to or modified in a container's
// filesystem after it was created from its image.
var RT1110 = &rule.Rule{
	ID:       "RT1110",
	Slug:     "drift-executable",
	Title:    "Executables added or changed at run time",
	Severity: rule.Medium,
	Category: rule.CatIntegrity,
	Rationale: "A container is meant to run what its image holds. An executable that appears or changes after start " +
		"was downloaded, compiled or dropped there: an update run by hand, a debugging tool, or an intruder's payload. " +
		"It is not in the image that was scanned and signed, it is lost when the container is recreated, and nothing " +
		"vouches for it. The engine's diff of the container against its image (`docker diff`) shows it.",
	Fix: "Find out what wrote the files (`docker diff`, the container's logs), rebuild the image with what is needed, " +
		"recreate the container, and mount the root filesystem read-only (`--read-only`) so it cannot drift again.",
	Bad:  "docker diff app   # A /usr/local/bin/xmrig",
	Good: "docker run --read-only --tmpfs /tmp app:1.4",
	References: []string{
		"https://docs.docker.com/reference/cli/docker/container/diff/",
		"https://docs.docker.com/reference/cli/docker/container/run/#read-only",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if paths := driftPaths(s, changedExecutable); len(paths) > 0 {
				reportFix(p, s.Self, 0, "rebuild the image of "+who(s)+" with what it needs and recreate it read-only",
					"%s has executables added or changed since it started: %s", who(s), pathList(paths))
			}
		}
		return nil
	},
}

// isAccountFile reports whether a path holds users, groups, passwords or
// sudo rights.
func isAccountFile(p string) bool {
	switch p {
	case "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers":
		return true
	}
	return strings.HasPrefix(p, "/etc/sudoers.d/")
}

package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1112 reports account files (passwd, shadow, group, sudoers) changed in
// a container after it was created.
var RT1112 = &rule.Rule{
	ID:       "RT1112",
	Slug:     "drift-accounts",
	Title:    "Users, groups or sudo rights changed at run time",
	Severity: rule.High,
	Category: rule.CatIntegrity,
	Rationale: "Services do not add users to their own container. A changed /etc/passwd, /etc/shadow, /etc/group or " +
		"sudoers is an account created or a password set after start: a backdoor login, a second UID 0, a user given " +
		"sudo. It survives restarts of the container and is invisible to any scan of the image.",
	Fix: "Compare the file with the image's (`docker cp app:/etc/passwd -`), find what changed it, recreate the " +
		"container from its image and mount the root filesystem read-only.",
	Bad:  "docker diff app   # C /etc/passwd",
	Good: "docker run --read-only --tmpfs /tmp app:1.4",
	References: []string{
		"https://docs.docker.com/reference/cli/docker/container/diff/",
		"https://man7.org/linux/man-pages/man5/passwd.5.html",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			paths := driftPaths(s, func(c container.Change) bool { return isAccountFile(c.Path) })
			if len(paths) > 0 {
				reportFix(p, s.Self, 0, "find what changed the accounts of "+who(s)+" and recreate it from its image",
					"%s has account files changed since it started: %s", who(s), pathList(paths))
			}
		}
		return nil
	},
}

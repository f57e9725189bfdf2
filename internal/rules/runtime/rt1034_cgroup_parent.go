package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1034 reports containers placed in a non-default cgroup.
var RT1034 = &rule.Rule{
	ID:       "RT1034",
	Slug:     "cgroup-parent-set",
	Title:    "Container uses a non-default cgroup parent",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "Docker places each container in its own cgroup under the daemon's parent, where the daemon's resource " +
		"policy applies. A custom `cgroup_parent` moves the container under another hierarchy, possibly one with no limits " +
		"or one shared with host services, so its resource accounting and limits are whatever that parent says. It should " +
		"be a deliberate, reviewed choice.",
	Fix:   "Remove `cgroup_parent` (`--cgroup-parent`) unless the host's cgroup layout requires it, and document why it does.",
	Bad:   "services:\n  app:\n    image: app:1.4\n    cgroup_parent: system.slice",
	Good:  "services:\n  app:\n    image: app:1.4",
	Peers: []rule.Peer{{Tool: "kics", ID: "4d9f44c6-2f4a-4317-9bb5-267adbea0232"}, {Tool: "cis-docker-1.6.0", ID: "5.25"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#cgroup_parent",
		"https://docs.docker.com/reference/cli/docker/container/run/#cgroup-parent",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.CgroupParent != "" {
				reportFix(p, at(s, container.KeyCgroupParent), 0, dropFix(s, "cgroup_parent: "+s.CgroupParent, "--cgroup-parent")+" unless the host's cgroup layout needs it", "%s runs under cgroup parent %q instead of the daemon's default", who(s), s.CgroupParent)
			}
		}
		return nil
	},
}

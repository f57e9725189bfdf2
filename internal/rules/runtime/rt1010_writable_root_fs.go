package runtime

import (
	"fmt"
	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
	"strings"
)

// RT1010 reports containers whose root filesystem is writable.
var RT1010 = &rule.Rule{
	ID:       "RT1010",
	Slug:     "root-filesystem-writable",
	Title:    "Root filesystem is not read-only",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "With a writable root filesystem an attacker who gets code execution can drop tools, replace binaries and " +
		"libraries the application loads later, and persist until the container is recreated. A read-only root, with tmpfs " +
		"or volumes only where the application writes, makes the running container match the image that was scanned.",
	Fix:   "Set `read_only: true` (`--read-only`) and give the paths the application writes a `tmpfs` or a volume.",
	Bad:   "services:\n  api:\n    image: api:3.2",
	Good:  "services:\n  api:\n    image: api:3.2\n    read_only: true\n    tmpfs: [/tmp]",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.13"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#read_only",
		"https://docs.docker.com/reference/cli/docker/container/run/#read-only",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if s.ReadOnly {
				continue
			}
			if has(s, container.KeyReadOnly) {
				reportWithFixes(p, at(s, container.KeyReadOnly), 0, "", readOnlyFix(p, s), "%s sets read_only: false, so its root filesystem is writable", who(s))
				continue
			}
			if !s.Partial {
				reportWithFixes(p, s.Self, 0, keyword(s, "add `read_only: true` to "+who(s), "add --read-only", "recreate the container with --read-only")+
					" and give the paths it writes a tmpfs or a volume", readOnlyFix(p, s),
					"%s has a writable root filesystem: no %s", who(s), keyword(s, "read_only: true", "--read-only", "ReadonlyRootfs"))
			}
		}
		return nil
	},
}

// readOnlyFix sets read_only: true and gives the paths the image writes
// (from a table of well-known images, else /tmp) a tmpfs. It is a review
// fix: a write anywhere else now fails, and what is written to a tmpfs is
// gone when the container stops.
func readOnlyFix(p *rule.Pass, s *container.Spec) []rule.Fix {
	paths, known := writablePaths(s)
	title := "make the root filesystem read-only"
	if len(paths) > 0 {
		title += " with a tmpfs at " + strings.Join(paths, ", ")
	}
	if known {
		title += fmt.Sprintf(" (review: the paths the %s image writes; any other write fails)", officialImage(s.Image))
	} else {
		title += " (review: the image is not one shipshape knows; a write anywhere else fails, give such paths a tmpfs or volume)"
	}
	return composeFix(p, s, rule.FixReview, title, func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
		if len(paths) > 0 && pl.V1() {
			pl.Refuse("a version 1 compose file has no tmpfs key")
			return nil
		}
		svc.SetScalar("read_only", composeedit.Raw("true"))
		svc.AppendItems("tmpfs", paths...)
		return nil
	})
}

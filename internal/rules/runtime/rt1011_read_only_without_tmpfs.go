package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/composeedit"
	"slices"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1011 hints that a read-only container has nowhere to write temporary
// files.
var RT1011 = &rule.Rule{
	ID:       "RT1011",
	Slug:     "read-only-without-tmpfs",
	Title:    "Read-only root filesystem without a writable /tmp",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "A read-only root filesystem is the right default, but most runtimes and libraries write temporary files to " +
		"/tmp (and some to /run or /var/tmp). Without a tmpfs or volume there they fail at run time, and the usual reaction " +
		"is to drop read_only altogether. A small tmpfs keeps the hardening and the application working.",
	Fix:  "Add `tmpfs: [/tmp]` (`--tmpfs /tmp`), plus any other path the application writes.",
	Bad:  "services:\n  api:\n    image: api:3.2\n    read_only: true",
	Good: "services:\n  api:\n    image: api:3.2\n    read_only: true\n    tmpfs: [\"/tmp:size=64m\"]",
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#tmpfs",
		"https://docs.docker.com/engine/storage/tmpfs/",
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			if !s.ReadOnly || writable(s, "/tmp") {
				continue
			}
			reportWithFixes(p, at(s, container.KeyReadOnly), 0, keyword(s, "add `tmpfs: [/tmp]` to "+who(s), "add --tmpfs /tmp", "recreate "+who(s)+" with --tmpfs /tmp")+
				", and any other path it writes", tmpfsFix(p, s), "%s has a read-only root filesystem but no tmpfs or volume at /tmp", who(s))
		}
		return nil
	},
}

// writable reports whether path is covered by a tmpfs or a mount that is
// not read-only.
func writable(s *container.Spec, path string) bool {
	for _, t := range s.Tmpfs {
		target, _, _ := strings.Cut(strings.TrimSpace(t), ":")
		if under(path, cleanPath(target)) {
			return true
		}
	}
	for _, m := range s.Mounts {
		if !m.ReadOnly && under(path, cleanPath(m.Target)) {
			return true
		}
	}
	return false
}

// tmpfsFix gives /tmp, and the other paths a well-known image writes, a
// tmpfs. It is a review fix: what is written there no longer survives a
// restart of the container.
func tmpfsFix(p *rule.Pass, s *container.Spec) []rule.Fix {
	paths, _ := writablePaths(s)
	if !slices.Contains(paths, "/tmp") && !writable(s, "/tmp") {
		paths = append([]string{"/tmp"}, paths...)
	}
	return composeFix(p, s, rule.FixReview, "add a tmpfs at "+strings.Join(paths, ", ")+" (review: what is written there is lost when the container stops)",
		func(pl *composeedit.Plan, svc *composeedit.Service) []rule.Edit {
			if pl.V1() {
				pl.Refuse("a version 1 compose file has no tmpfs key")
				return nil
			}
			svc.AppendItems("tmpfs", paths...)
			return nil
		})
}

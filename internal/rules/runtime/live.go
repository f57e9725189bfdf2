package runtime

import (
	"fmt"
	"strings"

	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// running returns the containers a live engine shows running: the rules
// over process facts (PID 1's user, seccomp, AppArmor, processes) judge
// only those, since a created or stopped container has no process.
func running(p *rule.Pass) []*container.Spec {
	var out []*container.Spec
	for _, s := range specs(p) {
		if s.Live != nil && s.Live.Running {
			out = append(out, s)
		}
	}
	return out
}

// daemonOf returns the audited daemon, nil outside shipshape audit.
func daemonOf(p *rule.Pass) *container.Daemon {
	if pr := projectOf(p); pr != nil {
		return pr.Daemon
	}
	return nil
}

// reportDaemon reports a daemon finding at a daemon.json key when the file
// set it, else at the daemon.
func reportDaemon(p *rule.Pass, d *container.Daemon, key string, sev rule.Severity, fix, format string, args ...any) {
	reportFix(p, d.Pos(key), sev, fix, format, args...)
}

// pathList renders changed paths for a message: the first few, then how
// many more.
func pathList(paths []string) string {
	const shown = 8
	if len(paths) <= shown {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:shown], ", "), len(paths)-shown)
}

// driftPaths returns the added or modified paths of a live container that
// keep returns true for.
func driftPaths(s *container.Spec, keep func(c container.Change) bool) []string {
	if s.Live == nil || !s.Live.ChangesRead {
		return nil
	}
	var out []string
	for _, c := range s.Live.Changes {
		if c.Kind != container.Deleted && keep(c) {
			out = append(out, c.Path)
		}
	}
	return out
}

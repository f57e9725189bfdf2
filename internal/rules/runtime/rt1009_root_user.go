package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/container"
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1009 reports containers that run as root: explicitly, or (at lower
// severity) because nothing in the configuration sets a user and the image
// may not either.
var RT1009 = &rule.Rule{
	ID:       "RT1009",
	Slug:     "runs-as-root",
	Title:    "Container runs as root",
	Severity: rule.High,
	Category: rule.CatUser,
	Rationale: "Root in a container is root on the host for every resource the container can reach: mounted volumes, " +
		"sockets, devices, and the kernel if a namespace escape is found. A non-root user turns most container breakouts " +
		"and file-overwrite bugs into permission errors. Without `user:` the image's USER applies, which is root for most " +
		"official images.",
	Fix: "Set `user: \"10001:10001\"` (`--user`) to an unprivileged UID the image's files allow, or use an image that " +
		"declares a non-root USER and say so in the image reference.",
	Bad:   "services:\n  web:\n    image: nginx:1.27\n    user: root",
	Good:  "services:\n  web:\n    image: nginxinc/nginx-unprivileged:1.27\n    user: \"101:101\"",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "4.1"}},
	References: []string{
		"https://docs.docker.com/reference/compose-file/services/#user",
		"https://docs.docker.com/build/building/best-practices/#user",
	},
	Levels: []rule.Level{
		{Severity: rule.Medium, When: "when a compose service or docker run line sets no user: the image's USER decides, and it may not be root " +
			"(images known to declare a non-root USER, such as grafana/grafana or confluentinc/cp-*, are not reported)"},
		{Severity: rule.Low, When: "when it sets no user and runs an official datastore image whose entrypoint starts as root and runs the " +
			"server as an unprivileged user (postgres, mysql, redis…)"},
	},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			fix := keyword(s, "set `user:` of "+who(s)+" to an unprivileged UID the image's files allow, e.g. \"10001:10001\"",
				"add --user 10001:10001 (an unprivileged UID the image's files allow)", "recreate the container with --user set to an unprivileged UID")
			if s.Unresolved[container.KeyUser] {
				continue // set from a variable left unset here
			}
			if s.User == "" {
				switch {
				case s.Source == container.SourceInspect:
					// Config.User is the image's USER merged with the run's,
					// so empty means the process really runs as root.
					reportFix(p, s.Self, 0, fix, "%s runs as root: Config.User is empty", who(s))
				case s.Partial:
				case !s.Build && imageRunsAs(nonRootImages, s.Image):
					// The image's own USER is not root.
				case !s.Build && imageRunsAs(dropsRoot, s.Image):
					u, _ := lookupImage(dropsRoot, s.Image)
					reportFix(p, s.Self, rule.Low, fix, "%s sets no %s: it starts as root, and the image's entrypoint runs the server as %s",
						who(s), keyword(s, "user", "--user", "User"), u)
				default:
					reportFix(p, s.Self, rule.Medium, fix, "%s sets no %s, so it runs as root unless the image declares a non-root USER",
						who(s), keyword(s, "user", "--user", "User"))
				}
				continue
			}
			if root, unknown := rootUser(s.User); root && !unknown {
				reportFix(p, at(s, container.KeyUser), 0, fix, "%s runs as root (%s %q)", who(s), keyword(s, "user:", "--user", "User"), s.User)
			}
		}
		return nil
	},
}

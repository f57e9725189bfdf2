package runtime

import (
	"strings"

	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1033 reports mounts whose propagation is shared with the host.
var RT1033 = &rule.Rule{
	ID:       "RT1033",
	Slug:     "shared-mount-propagation",
	Title:    "Mount propagation shared with the host",
	Severity: rule.Medium,
	Category: rule.CatRuntime,
	Rationale: "With `shared` or `rshared` propagation, mounts made inside the container under that path appear on the host " +
		"and in every other container sharing it, so a container with mount rights can graft filesystems into the host's " +
		"tree. `slave` propagation is one-way (host to container) and only lets host mounts appear in the container. The " +
		"default, `rprivate`, isolates both directions.",
	Fix:   "Remove the `shared`/`rshared` propagation option and keep the default (rprivate); use `rslave` only when the container must see host mounts.",
	Bad:   "services:\n  csi:\n    image: csi:1.0\n    volumes:\n      - /data:/data:rshared",
	Good:  "services:\n  csi:\n    image: csi:1.0\n    volumes:\n      - /data:/data",
	Peers: []rule.Peer{{Tool: "kics", ID: "baa452f0-1f21-4a25-ace5-844e7a5f410d"}, {Tool: "cis-docker-1.6.0", ID: "5.20"}},
	References: []string{
		"https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation",
		"https://docs.kernel.org/filesystems/sharedsubtree.html",
	},
	Levels: []rule.Level{{Severity: rule.Info, When: "for slave or rslave propagation, which only lets host mounts appear in the container"}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, m := range s.Mounts {
				prop := strings.ToLower(strings.TrimSpace(m.Propagation))
				pos := mountPos(s, m, "propagation")
				switch prop {
				case "shared", "rshared":
					reportFix(p, pos, 0, "drop the "+prop+" propagation of the mount at "+m.Target+" in "+who(s)+" (rslave if it must see host mounts)", "%s mounts %s with %s propagation: mounts made in the container reach the host", who(s), m.Target, prop)
				case "slave", "rslave":
					report(p, pos, rule.Info, "%s mounts %s with %s propagation: host mounts under %s appear in the container", who(s), m.Target, prop, m.Source)
				}
			}
		}
		return nil
	},
}

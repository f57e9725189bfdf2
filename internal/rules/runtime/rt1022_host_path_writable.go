package runtime

import (
	"github.com/shipshape-sec/shipshape/internal/rule"
)

// RT1022 reports host directories bind-mounted read-write.
var RT1022 = &rule.Rule{
	ID:       "RT1022",
	Slug:     "host-path-writable",
	Title:    "Host path mounted read-write",
	Severity: rule.Low,
	Category: rule.CatRuntime,
	Rationale: "A read-write bind mount lets the container change files on the host: source code that is later built or run " +
		"outside the container, configuration read by other services, files a host user opens. Most bind mounts only feed " +
		"configuration or code in; `:ro` keeps a compromised container from writing back.",
	Fix:   "Add `:ro` to the volume (`read_only: true` in the long syntax) unless the service must write there; use a named volume for data it writes.",
	Bad:   "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./site:/usr/share/nginx/html",
	Good:  "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./site:/usr/share/nginx/html:ro",
	Peers: []rule.Peer{{Tool: "cis-docker-1.6.0", ID: "5.6"}},
	References: []string{
		"https://docs.docker.com/engine/storage/bind-mounts/#use-a-read-only-bind-mount",
		"https://docs.docker.com/reference/compose-file/services/#volumes",
	},
	// A writable host path that other services mount too is one problem
	// at one entry: the fix (`:ro`) is the same.
	Subsumes: []rule.Subsumption{{IDs: []string{"RT1036"}, Same: rule.SameLine}},
	Check: func(p *rule.Pass) error {
		for _, s := range specs(p) {
			for _, m := range s.Mounts {
				if !isBind(m) || m.ReadOnly {
					continue
				}
				if _, sock := runtimeSocket(m.Source); sock {
					continue // RT1020
				}
				if _, sens := sensitiveDir(m.Source); sens {
					continue // RT1021
				}
				reportFix(p, mountPos(s, m, ""), 0, "add `:ro` to the mount of "+m.Source+" in "+who(s)+" unless it must write there",
					"%s mounts host path %s read-write at %s", who(s), m.Source, m.Target)
			}
		}
		return nil
	},
}
